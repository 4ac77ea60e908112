"""Views of gatetree trees and decisions: text, Markdown, Graphviz and Mermaid."""

from .trace_view import trace_markdown, trace_text

__all__ = ["trace_markdown", "trace_text"]
