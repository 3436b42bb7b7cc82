"""The link schema version, kept apart from links.py so plain modules can import it
without Streamlit. Bump it when a control's default or meaning changes."""

SCHEMA_VERSION = "1"
