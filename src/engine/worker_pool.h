// WorkerPool: a few threads that run background jobs (flush, compaction). A job never mutates
// shared state: it returns a result that the loop thread installs (DBImpl::PollBackgroundWork).
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace strata {

class WorkerPool {
 public:
  explicit WorkerPool(int threads);
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;
  // Finishes the running jobs, drops the queued ones, joins the threads.
  ~WorkerPool();

  void Submit(std::function<void()> job);

 private:
  void Run();

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  bool stop_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace strata
