"""Charts: Vega-Lite specifications built from plain values, rendered to SVG on the server."""
