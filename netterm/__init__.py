"""netterm: a keyboard-driven terminal personal CRM for keeping a professional network alive."""

__version__ = "0.1.0"
