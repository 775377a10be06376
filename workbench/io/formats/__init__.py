"""One module per export format; each registers itself with `exporter_registry`."""
