"""Small shared Streamlit helpers. Domain modules never import streamlit; only this package and pages do."""
