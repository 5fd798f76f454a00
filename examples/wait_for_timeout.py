# asyncio.wait_for gives up on a slow operation after a deadline.
# What to look for: the slow report would take 10 s, but wait_for cancels it at 3 s;
# the lane of the cancelled task ends at t=3.0 with "cancelled", and the total is 3.0 s.
import asyncio


async def slow_report():
    await asyncio.sleep(10)  # a long query
    return "report ready"


async def main():
    try:
        print(await asyncio.wait_for(slow_report(), timeout=3))
    except TimeoutError:
        print("gave up after 3 s")


asyncio.run(main())
