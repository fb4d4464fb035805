"""verordeningcheck: toetst Wmo-verordeningen aan de VNG-modellen 2006 en 2010."""
from .load import load
from .model import Document

__version__ = "0.1.0"
__all__ = ["load", "Document", "__version__"]
