//! Benchmarks: Lambda cold start against a floor, local server load, codegen timing.
