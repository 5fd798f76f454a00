# Concurrent version of the same two downloads, with asyncio.gather.
# What to look for: both tasks start at t=0 and wait side by side; B wakes at 2 s,
# A at 3 s. Total virtual time is 3.0 s (the slowest wait), not 3 + 2 = 5 s.
# Lanes: main (Task-1), fetch('A', 3) (Task-2), fetch('B', 2) (Task-3).
import asyncio
import time


async def fetch(label, seconds):
    print(f"{label}: started")
    await asyncio.sleep(seconds)  # hands control back to the event loop
    print(f"{label}: finished")
    return label


async def main():
    done = await asyncio.gather(fetch("A", 3), fetch("B", 2))
    print(done)


start = time.time()
asyncio.run(main())
print(f"elapsed {time.time() - start:.1f} s")  # 3.0 s: the longest wait
