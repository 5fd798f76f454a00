# gather(..., return_exceptions=True) collects failures as values instead of raising.
# What to look for: job 2 fails at t=1.0, yet jobs 1 and 3 still finish, and the
# results list holds the ValueError object in job 2's slot.
import asyncio


async def job(number):
    await asyncio.sleep(number * 0.5)
    if number == 2:
        raise ValueError(f"job {number} broke")
    return f"job {number} ok"


async def main():
    outcomes = await asyncio.gather(job(1), job(2), job(3), return_exceptions=True)
    for outcome in outcomes:
        if isinstance(outcome, Exception):
            print("failed:", repr(outcome))
        else:
            print("succeeded:", outcome)


asyncio.run(main())
