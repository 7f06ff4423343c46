"""Benchmarks: scripts that start the app, a Web API double and a load generator in separate
processes on loopback, and print their figures. See bench/README.md."""
