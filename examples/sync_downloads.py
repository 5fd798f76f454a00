# Sequential, blocking version: two downloads that wait 3 s and 2 s.
# What to look for: time.sleep blocks the whole program, so the waits add up.
# The timeline shows one lane (no tasks) and a total of 5.0 s of virtual time.
import time


def download(label, seconds):
    print(f"{label}: started")
    time.sleep(seconds)  # stands in for waiting on the network
    print(f"{label}: finished")
    return label


start = time.time()
done = [download("A", 3), download("B", 2)]
print(done)
print(f"elapsed {time.time() - start:.1f} s")  # 5.0 s: 3 + 2
