"""asyncio-trace's Python side: a virtual-clock event loop, a task tracer and network shims.

The hosts call `asyncio_trace.runner.run(config)`; see ../README.md for the contract.
"""
