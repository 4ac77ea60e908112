"""What the numbers were measured on: ratios travel between machines, times do not."""

from __future__ import annotations

import os
import platform
from importlib.metadata import PackageNotFoundError, version

__all__ = ["PACKAGES", "describe"]

PACKAGES = ("gatetree", "zen-engine", "pyyaml", "jsonschema", "networkx", "click")


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "not installed"


def _libyaml() -> str:
    import yaml

    return "yes" if hasattr(yaml, "CSafeLoader") else "no"


def _cpu() -> str:
    """The CPU model where the system names it (Linux), else the platform's word for it."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.partition(":")[2].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def describe() -> list[str]:
    """Lines naming the machine, the interpreter and the package versions."""
    load = f", load average {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
    packages = ", ".join(f"{p} {_version(p)}" for p in PACKAGES)
    return [
        f"machine: {os.cpu_count()} CPUs ({_cpu()}), {platform.platform()}{load}",
        f"python: {platform.python_implementation()} {platform.python_version()}",
        f"packages: {packages}; libyaml: {_libyaml()}",
    ]
