"""Synthetic demo data: ten Ningbo departments' exports of one true population, with the
ground truth that says which record is whom and which alerts are planted.

    from loaders.generator import generate
    summary = generate(Path("demo-data"), people=10_000, seed=7)

See `generation.generate` for the contract and `ground_truth` for the truth files.
"""

from loaders.generator.generation import generate
from loaders.generator.summary import GenerationSummary

__all__ = ["GenerationSummary", "generate"]
