# Common mistake: time.sleep inside a coroutine.
# What to look for: the heartbeat should tick every 0.5 s, but time.sleep(2) in
# slow_step blocks the event loop, so the timeline shows a blocked span from 0.0 to
# 2.0 s and the heartbeat wakes late. Replacing it with `await asyncio.sleep(2)`
# (the quick fix) keeps the heartbeat on time.
import asyncio
import time


async def heartbeat():
    for beat in range(4):
        print(f"beat {beat} at t={asyncio.get_running_loop().time():.1f}")
        await asyncio.sleep(0.5)


async def slow_step():
    print("slow step starts")
    time.sleep(2)  # mistake: blocks the whole loop
    print("slow step ends")


async def main():
    await asyncio.gather(heartbeat(), slow_step())


asyncio.run(main())
