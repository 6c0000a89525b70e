"""Benchmark building blocks: conversation mix, closed-loop load generator, memory sampler, CPU time,
stock bot, scratch cluster, results report; and `make profile` (py-spy under load)."""
