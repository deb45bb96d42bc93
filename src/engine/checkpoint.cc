#include "engine/checkpoint.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace strata {
namespace {

Status Errno(const std::string& what) {
  return Status::IOError(what + ": " + std::strerror(errno));
}

// Copies the first size bytes of in_fd to a new file at path, synced.
Status CopyPrefix(int in_fd, uint64_t size, const std::string& path) {
  int out = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0644);
  if (out < 0) return Errno(path);
  char buf[1 << 16];
  Status s;
  for (uint64_t at = 0; at < size && s.ok();) {
    ssize_t n =
        ::pread(in_fd, buf, std::min<uint64_t>(sizeof(buf), size - at), static_cast<off_t>(at));
    if (n <= 0) {
      s = n == 0 ? Status::IOError(path + ": source shorter than planned") : Errno(path);
      break;
    }
    for (ssize_t done = 0; done < n && s.ok();) {
      ssize_t w = ::write(out, buf + done, static_cast<size_t>(n - done));
      if (w < 0) s = Errno(path);
      done += w;
    }
    at += static_cast<uint64_t>(n);
  }
  if (s.ok() && ::fsync(out) != 0) s = Errno("fsync " + path);
  ::close(out);
  return s;
}

std::string BaseName(const std::string& path) {
  return std::filesystem::path(path).filename().string();
}

}  // namespace

CheckpointPlan::CheckpointPlan(CheckpointPlan&& other) noexcept
    : dir_(std::move(other.dir_)), copies_(std::move(other.copies_)) {
  other.copies_.clear();
}

CheckpointPlan::~CheckpointPlan() {
  for (const Copy& c : copies_) ::close(c.fd);
}

Status CheckpointPlan::Begin(const std::string& dir, const std::vector<std::string>& link_paths) {
  if (::mkdir(dir.c_str(), 0755) != 0) return Errno("checkpoint directory " + dir);
  dir_ = dir;
  for (const std::string& from : link_paths) {
    std::string to = dir + "/" + BaseName(from);
    if (::link(from.c_str(), to.c_str()) != 0) {
      Status s = errno == EXDEV ? Status::IOError(to +
                                                  ": a checkpoint must be on the data "
                                                  "directory's file system")
                                : Errno("link " + to);
      std::error_code ec;
      std::filesystem::remove_all(dir, ec);
      return s;
    }
  }
  return Status::OK();
}

Status CheckpointPlan::CopyLater(const std::string& path, uint64_t size) {
  int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) return Errno(path);
  copies_.push_back(Copy{fd, BaseName(path), size});
  return Status::OK();
}

Status CheckpointPlan::Finish(Env* env, const std::string& manifest_name) {
  Status s;
  for (const Copy& c : copies_) {
    if (s.ok()) s = CopyPrefix(c.fd, c.size, dir_ + "/" + c.name);
  }
  // CURRENT last, written atomically; its directory sync also makes the links and copies'
  // directory entries durable.
  if (s.ok()) s = env->WriteFileAtomically(dir_ + "/CURRENT", manifest_name + "\n");
  if (!s.ok()) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  return s;
}

}  // namespace strata
