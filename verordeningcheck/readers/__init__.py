"""Format-specific readers. Each returns a :class:`verordeningcheck.model.Document`."""
