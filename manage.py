#!/usr/bin/env python
"""Django's manage.py; `lokalkompas` is the same thing installed as a console script."""

from lokalkompas.__main__ import main

if __name__ == "__main__":
    main()
