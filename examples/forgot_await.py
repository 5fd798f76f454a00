# Common mistake: calling a coroutine function without await.
# What to look for: `save("draft")` only creates a coroutine object and drops it,
# so its body never runs ("saving draft" is never printed) and Python warns
# "coroutine 'save' was never awaited". The editor flags the line before you run it.
import asyncio


async def save(name):
    await asyncio.sleep(0.5)
    print(f"saving {name}")


async def main():
    save("draft")  # mistake: missing await
    await save("final")


asyncio.run(main())
