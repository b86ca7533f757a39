// C++ threads, statically linked with glibc and libstdc++: std::thread,
// std::mutex, std::condition_variable, std::async/std::future,
// std::promise, thread_local, std::atomic, std::shared_mutex, exceptions
// across threads. Output is deterministic (one "name: ok" line per check);
// the status is 1 if any check failed. Arguments are ignored.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <future>
#include <mutex>
#include <numeric>
#include <set>
#include <shared_mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

int failures = 0;

void Check(bool ok, const char* what) {
  std::printf("%s: %s\n", what, ok ? "ok" : "FAILED");
  std::fflush(stdout);
  if (!ok) failures++;
}

thread_local int tls_counter = 100;
thread_local std::string tls_name = "initial";

struct Tracked {
  static std::atomic<int> destroyed;
  ~Tracked() { destroyed++; }
};
std::atomic<int> Tracked::destroyed{0};
thread_local Tracked tracked;

void ThreadsAndJoin() {
  std::vector<std::thread> threads;
  std::vector<long> results(6, 0);
  std::vector<std::thread::id> ids(6);
  for (int i = 0; i < 6; i++)
    threads.emplace_back([i, &results, &ids] {
      long sum = 0;
      for (int k = 1; k <= 1000 * (i + 1); k++) sum += k;
      results[i] = sum;
      ids[i] = std::this_thread::get_id();
    });
  for (auto& t : threads) t.join();
  bool ok = true;
  for (int i = 0; i < 6; i++) {
    long n = 1000L * (i + 1);
    ok = ok && results[i] == n * (n + 1) / 2;
  }
  Check(ok, "std::thread: six threads compute, join");
  std::set<std::thread::id> distinct(ids.begin(), ids.end());
  distinct.insert(std::this_thread::get_id());
  Check(distinct.size() == 7, "std::thread: every thread has its own id");
}

void MutexCounter() {
  std::mutex m;
  long counter = 0;
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; i++)
    threads.emplace_back([&] {
      for (int k = 0; k < 2000; k++) {
        std::lock_guard<std::mutex> lock(m);
        long v = counter;
        if (k % 64 == 0) std::this_thread::yield();
        counter = v + 1;
      }
    });
  for (auto& t : threads) t.join();
  Check(counter == 8000, "std::mutex: 4 threads x 2000 increments, exact count");

  std::atomic<long> atomic_counter{0};
  threads.clear();
  for (int i = 0; i < 4; i++)
    threads.emplace_back([&] {
      for (int k = 0; k < 5000; k++) atomic_counter.fetch_add(1, std::memory_order_relaxed);
    });
  for (auto& t : threads) t.join();
  Check(atomic_counter.load() == 20000, "std::atomic: 4 threads x 5000 fetch_add");
}

void ProducerConsumer() {
  std::mutex m;
  std::condition_variable not_empty, not_full;
  std::deque<int> queue;
  const int kItems = 300;
  std::thread producer([&] {
    for (int i = 1; i <= kItems + 1; i++) {
      std::unique_lock<std::mutex> lock(m);
      not_full.wait(lock, [&] { return queue.size() < 4; });
      queue.push_back(i <= kItems ? i : 0);
      not_empty.notify_one();
    }
  });
  long sum = 0;
  int count = 0, last = 0;
  bool in_order = true;
  for (;;) {
    std::unique_lock<std::mutex> lock(m);
    not_empty.wait(lock, [&] { return !queue.empty(); });
    int v = queue.front();
    queue.pop_front();
    not_full.notify_one();
    if (v == 0) break;
    in_order = in_order && v == last + 1;
    last = v;
    sum += v;
    count++;
  }
  producer.join();
  Check(in_order && count == kItems && sum == kItems * (kItems + 1) / 2,
        "std::condition_variable: producer and consumer through a 4-slot queue");

  std::unique_lock<std::mutex> lock(m);
  auto start = std::chrono::steady_clock::now();
  bool woke = not_empty.wait_for(lock, std::chrono::milliseconds(20), [] { return false; });
  auto waited = std::chrono::steady_clock::now() - start;
  Check(!woke && waited >= std::chrono::milliseconds(20),
        "std::condition_variable: wait_for times out");
}

void AsyncAndFutures() {
  std::vector<std::future<long>> futures;
  for (int i = 0; i < 5; i++)
    futures.push_back(std::async(std::launch::async, [i] {
      long product = 1;
      for (int k = 1; k <= i + 5; k++) product *= k;
      return product;
    }));
  long total = 0;
  for (auto& f : futures) total += f.get();
  // 5! + 6! + 7! + 8! + 9!
  Check(total == 120 + 720 + 5040 + 40320 + 362880, "std::async: five results through futures");

  std::future<int> deferred = std::async(std::launch::deferred, [] { return 7; });
  Check(deferred.get() == 7, "std::async: deferred runs on get()");

  std::promise<std::string> promise;
  std::future<std::string> from_thread = promise.get_future();
  std::thread setter([&promise] { promise.set_value("from a thread"); });
  Check(from_thread.get() == "from a thread", "std::promise: value set in another thread");
  setter.join();

  std::future<int> failing = std::async(std::launch::async, []() -> int {
    throw std::runtime_error("thrown in a thread");
  });
  std::string message;
  try {
    failing.get();
  } catch (const std::runtime_error& e) {
    message = e.what();
  }
  Check(message == "thrown in a thread", "std::async: an exception crosses to get()");

  std::packaged_task<int(int, int)> task([](int a, int b) { return a * b; });
  std::future<int> product = task.get_future();
  std::thread runner(std::move(task), 6, 7);
  runner.join();
  Check(product.get() == 42, "std::packaged_task on a thread");
}

void ThreadLocals() {
  tls_counter = 1;
  tls_name = "main";
  std::vector<int> seen(4, -1);
  std::vector<std::string> names(4);
  int destroyed_before = Tracked::destroyed.load();
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; i++)
    threads.emplace_back([i, &seen, &names] {
      (void)&tracked;  // constructs this thread's instance
      seen[i] = tls_counter;
      tls_counter += i;
      for (int k = 0; k < 5; k++) std::this_thread::yield();
      names[i] = tls_name + "-" + std::to_string(tls_counter);
    });
  for (auto& t : threads) t.join();
  bool ok = tls_counter == 1 && tls_name == "main";
  for (int i = 0; i < 4; i++)
    ok = ok && seen[i] == 100 && names[i] == "initial-" + std::to_string(100 + i);
  Check(ok, "thread_local: each thread starts from the initial value, keeps its own");
  Check(Tracked::destroyed.load() - destroyed_before == 4,
        "thread_local: destructors run at thread exit");
}

void SharedMutex() {
  std::shared_mutex rw;
  int a = 0, b = 0;
  std::atomic<int> torn{0};
  std::thread writer([&] {
    for (int i = 0; i < 200; i++) {
      std::unique_lock<std::shared_mutex> lock(rw);
      a++;
      if (i % 16 == 0) std::this_thread::yield();
      b++;
    }
  });
  std::vector<std::thread> readers;
  for (int r = 0; r < 3; r++)
    readers.emplace_back([&] {
      for (int i = 0; i < 200; i++) {
        std::shared_lock<std::shared_mutex> lock(rw);
        if (a != b) torn++;
      }
    });
  writer.join();
  for (auto& t : readers) t.join();
  Check(torn.load() == 0 && a == 200 && b == 200, "std::shared_mutex: no half writes seen");
}

void OnceAndSleep() {
  std::once_flag once;
  std::atomic<int> calls{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; i++)
    threads.emplace_back([&] { std::call_once(once, [&] { calls++; }); });
  for (auto& t : threads) t.join();
  Check(calls.load() == 1, "std::call_once: once among four threads");

  auto start = std::chrono::steady_clock::now();
  std::thread sleeper([] { std::this_thread::sleep_for(std::chrono::milliseconds(15)); });
  sleeper.join();
  Check(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(15),
        "std::this_thread::sleep_for in a thread");

  std::thread detached([] {});
  detached.detach();
  Check(!detached.joinable(), "std::thread::detach");
}

}  // namespace

int main() {
  ThreadsAndJoin();
  MutexCounter();
  ProducerConsumer();
  AsyncAndFutures();
  ThreadLocals();
  SharedMutex();
  OnceAndSleep();
  return failures ? 1 : 0;
}
