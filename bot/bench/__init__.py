"""Benchmark building blocks: conversation mix, closed-loop load generator, memory sampler, stock bot."""
