# Fetch several pages at once with aiohttp (the tutorial's crawler, unchanged in spirit).
# What to look for: the three requests overlap, so the total is the slowest one,
# not the sum. asyncio-trace runs this offline: aiohttp is replaced by a simulated
# network with deterministic latency, and the trace says so.
import asyncio
import time

import aiohttp


async def fetch(session, url):
    async with session.get(url) as response:
        return await response.text()


async def main():
    urls = [
        "https://example.com",
        "https://www.python.org",
        "https://httpbin.org/get",
    ]
    async with aiohttp.ClientSession() as session:
        pages = await asyncio.gather(*(fetch(session, url) for url in urls))
        for url, html in zip(urls, pages):
            print(f"{url}: {len(html)} characters")


start = time.time()
asyncio.run(main())
print(f"total {time.time() - start:.2f} s")
