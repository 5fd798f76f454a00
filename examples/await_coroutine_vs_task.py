# Awaiting a coroutine vs awaiting a Task.
# What to look for: `await greet()` runs greet inside main's own step, without ever
# going back to the event loop, so the background task cannot run in between.
# The background task only gets its turn when main awaits something that really
# suspends (here, the Task itself). Compare the first half of the output with the second.
import asyncio


async def greet(word):
    print(f"  {word}")


async def background():
    print("  background task runs")


async def main():
    print("awaiting plain coroutines:")
    task = asyncio.create_task(background())
    for word in ("one", "two", "three"):
        await greet(word)  # no suspension: the loop never regains control
    await task  # suspends main, so the loop finally runs the background task

    print("awaiting tasks:")
    task = asyncio.create_task(background())
    for word in ("one", "two", "three"):
        await asyncio.create_task(greet(word))  # suspends: the loop runs queued tasks first
    await task


asyncio.run(main())
