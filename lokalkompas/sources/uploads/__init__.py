"""Local data uploads: templates, reading, validation, preview and atomic import (issue 8)."""
