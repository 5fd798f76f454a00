# A producer and two consumers sharing an asyncio.Queue.
# What to look for: consumers wait on Queue.get while the queue is empty and wake
# as soon as the producer puts an item; queue.join() waits until every item is done.
import asyncio


async def producer(queue):
    for item in range(6):
        await asyncio.sleep(0.2)  # an item arrives every 0.2 s
        await queue.put(item)
        print(f"produced {item}")


async def consumer(name, queue):
    while True:
        item = await queue.get()
        await asyncio.sleep(0.5)  # processing takes longer than producing
        print(f"{name} processed {item}")
        queue.task_done()


async def main():
    queue = asyncio.Queue()
    consumers = [asyncio.create_task(consumer(f"consumer-{n}", queue)) for n in (1, 2)]
    await producer(queue)
    await queue.join()
    for task in consumers:
        task.cancel()


asyncio.run(main())
