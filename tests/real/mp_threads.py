# multiprocessing (fork) whose workers each run a thread pool.
import multiprocessing
import threading
from concurrent.futures import ThreadPoolExecutor

local = threading.local()


def square_sum(n):
    local.n = n
    return sum(i * i for i in range(n)) + local.n - n


def work(base):
    with ThreadPoolExecutor(max_workers=4) as pool:
        return sum(pool.map(square_sum, range(base, base + 8)))


if __name__ == "__main__":
    multiprocessing.set_start_method("fork")
    with multiprocessing.Pool(3) as p:
        print(p.map(work, [1000 * i for i in range(1, 7)]))
