"""gatetree's version: one constant, read by the build (pyproject's dynamic version), by
`gatetree --version` and by the checked-tree cache, without scanning installed packages."""

__version__ = "0.1.0"
