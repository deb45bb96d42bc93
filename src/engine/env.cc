#include "engine/env.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace strata {
namespace {

Status PosixError(const std::string& context, int err) {
  return Status::IOError(context + ": " + std::strerror(err));
}

class PosixWritableFile final : public WritableFile {
 public:
  PosixWritableFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  ~PosixWritableFile() override { ::close(fd_); }

  Status Append(std::string_view data, size_t* written) override {
    *written = 0;
    while (*written < data.size()) {
      ssize_t n = ::write(fd_, data.data() + *written, data.size() - *written);
      if (n < 0) {
        if (errno == EINTR) continue;
        return PosixError("write " + path_, errno);
      }
      *written += static_cast<size_t>(n);
    }
    return Status::OK();
  }

  Status Sync() override {
    if (::fdatasync(fd_) != 0) return PosixError("fdatasync " + path_, errno);
    return Status::OK();
  }

  void StartWriteback() override { (void)::sync_file_range(fd_, 0, 0, SYNC_FILE_RANGE_WRITE); }

  const std::string& path() const override { return path_; }

 private:
  const int fd_;
  const std::string path_;
};

class PosixRandomAccessFile final : public RandomAccessFile {
 public:
  PosixRandomAccessFile(int fd, std::string path, uint64_t size)
      : fd_(fd), path_(std::move(path)), size_(size) {}
  ~PosixRandomAccessFile() override { ::close(fd_); }

  Status Read(uint64_t offset, size_t n, std::string* out) const override {
    out->resize(n);
    size_t done = 0;
    while (done < n) {
      ssize_t r = ::pread(fd_, out->data() + done, n - done, static_cast<off_t>(offset + done));
      if (r < 0) {
        if (errno == EINTR) continue;
        return PosixError("read " + path_ + " at offset " + std::to_string(offset + done), errno);
      }
      if (r == 0) {
        return Status::IOError("read " + path_ + " at offset " + std::to_string(offset + done) +
                               ": unexpected end of file");
      }
      done += static_cast<size_t>(r);
    }
    return Status::OK();
  }
  uint64_t size() const override { return size_; }
  const std::string& path() const override { return path_; }
  void WillNeed(uint64_t offset, size_t n) const override {
    (void)::posix_fadvise(fd_, static_cast<off_t>(offset), static_cast<off_t>(n),
                          POSIX_FADV_WILLNEED);
  }

 private:
  const int fd_;
  const std::string path_;
  const uint64_t size_;
};

// A file read through a read-only shared mapping (mapped(): memory accesses, no system call,
// no copy) and, for bulk readers such as compactions, through pread (Read), which does not
// add the pages to the process's mapped, resident set.
class PosixMmapFile final : public RandomAccessFile {
 public:
  PosixMmapFile(int fd, std::string path, const char* base, uint64_t size)
      : pread_(fd, path, size), base_(base), size_(size) {}
  ~PosixMmapFile() override { ::munmap(const_cast<char*>(base_), size_); }

  Status Read(uint64_t offset, size_t n, std::string* out) const override {
    return pread_.Read(offset, n, out);
  }
  uint64_t size() const override { return size_; }
  const std::string& path() const override { return pread_.path(); }
  std::string_view mapped() const override { return {base_, size_}; }
  void WillNeed(uint64_t offset, size_t n) const override { pread_.WillNeed(offset, n); }

 private:
  PosixRandomAccessFile pread_;
  const char* const base_;
  const uint64_t size_;
};

class PosixFileLock final : public FileLock {
 public:
  explicit PosixFileLock(int fd) : fd_(fd) {}
  ~PosixFileLock() override {
    ::flock(fd_, LOCK_UN);
    ::close(fd_);
  }

 private:
  int fd_;
};

}  // namespace

class FaultyFile final : public WritableFile {
 public:
  FaultyFile(std::unique_ptr<WritableFile> base, FaultInjectionEnv* env, uint64_t size)
      : base_(std::move(base)), env_(env), size_(size) {
    std::lock_guard<std::mutex> lock(env_->mu_);
    env_->synced_[path()] = size;
  }
  Status Append(std::string_view data, size_t* written) override {
    if (env_->fail_appends) {
      *written = 0;
      return PosixError("write " + path(), ENOSPC);
    }
    Status s = base_->Append(data, written);
    size_.fetch_add(*written);
    return s;
  }
  Status Sync() override {
    if (env_->fail_syncs) return PosixError("fdatasync " + path(), EIO);
    uint64_t size = size_.load();  // what this sync is sure to cover
    Status s = base_->Sync();
    if (s.ok()) {
      std::lock_guard<std::mutex> lock(env_->mu_);
      uint64_t& synced = env_->synced_[path()];
      synced = std::max(synced, size);
    }
    return s;
  }
  void StartWriteback() override { base_->StartWriteback(); }
  const std::string& path() const override { return base_->path(); }

 private:
  std::unique_ptr<WritableFile> base_;
  FaultInjectionEnv* env_;
  std::atomic<uint64_t> size_;
};

Status FaultInjectionEnv::CopySyncedState(const std::string& dir, const std::string& to) {
  std::vector<std::string> names;
  if (Status s = ListDir(dir, &names); !s.ok()) return s;
  for (const std::string& name : names) {
    std::string from = dir + "/" + name, contents;
    if (!ReadFile(from, &contents).ok()) continue;  // deleted meanwhile
    {
      std::lock_guard<std::mutex> lock(mu_);
      auto it = synced_.find(from);
      if (it != synced_.end()) contents.resize(std::min<uint64_t>(contents.size(), it->second));
    }
    auto out = Env::Default()->NewAppendableFile(to + "/" + name);
    if (!out.ok()) return out.status();
    size_t written;
    if (Status s = (*out)->Append(contents, &written); !s.ok()) return s;
  }
  return Status::OK();
}

Env* Env::Default() {
  static Env env;
  return &env;
}

Result<std::unique_ptr<WritableFile>> Env::NewAppendableFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return PosixError("open " + path, errno);
  return std::unique_ptr<WritableFile>(std::make_unique<PosixWritableFile>(fd, path));
}

Result<std::unique_ptr<RandomAccessFile>> Env::NewRandomAccessFile(const std::string& path,
                                                                  bool map) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return PosixError("open " + path, errno);
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    return PosixError("stat " + path, err);
  }
  uint64_t size = static_cast<uint64_t>(st.st_size);
  if (size > 0 && map) {
    // Map it for point reads and scans; pread stays available (and is the fallback).
    void* base = ::mmap(nullptr, size, PROT_READ, MAP_SHARED, fd, 0);
    if (base != MAP_FAILED) {
      // Point reads touch a block or two: without this, each page fault pulls the device's
      // read-ahead (megabytes on cloud volumes) into a page cache that may be evicting.
      ::madvise(base, size, MADV_RANDOM);
      return std::unique_ptr<RandomAccessFile>(
          std::make_unique<PosixMmapFile>(fd, path, static_cast<const char*>(base), size));
    }
  }
  return std::unique_ptr<RandomAccessFile>(
      std::make_unique<PosixRandomAccessFile>(fd, path, size));
}

Status Env::ReadFile(const std::string& path, std::string* contents) {
  contents->clear();
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return PosixError("open " + path, errno);
  struct stat st;
  if (::fstat(fd, &st) == 0) contents->reserve(static_cast<size_t>(st.st_size));
  char buf[1 << 16];
  while (true) {
    ssize_t n = ::read(fd, buf, sizeof(buf));
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      return PosixError("read " + path, err);
    }
    if (n == 0) break;
    contents->append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return Status::OK();
}

Status Env::Truncate(const std::string& path, uint64_t size) {
  if (::truncate(path.c_str(), static_cast<off_t>(size)) != 0) {
    return PosixError("truncate " + path, errno);
  }
  return Status::OK();
}

Status Env::CreateDirs(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status::IOError("mkdir " + dir + ": " + ec.message());
  return Status::OK();
}

Status Env::SyncDir(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return PosixError("open " + dir, errno);
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  if (rc != 0) return PosixError("fsync " + dir, err);
  return Status::OK();
}

Status Env::ListDir(const std::string& dir, std::vector<std::string>* names) {
  names->clear();
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return PosixError("opendir " + dir, errno);
  while (struct dirent* e = ::readdir(d)) {
    std::string name = e->d_name;
    if (name != "." && name != "..") names->push_back(std::move(name));
  }
  ::closedir(d);
  return Status::OK();
}

Status Env::RemoveFile(const std::string& path) {
  if (::unlink(path.c_str()) != 0) return PosixError("unlink " + path, errno);
  return Status::OK();
}

Status Env::RenameFile(const std::string& from, const std::string& to) {
  if (::rename(from.c_str(), to.c_str()) != 0) return PosixError("rename " + from, errno);
  return Status::OK();
}

Status Env::WriteFileAtomically(const std::string& path, std::string_view contents) {
  std::string tmp = path + ".tmp";
  (void)RemoveFile(tmp);  // a leftover of a crash, if any
  Status s;
  {
    auto file = NewAppendableFile(tmp);
    if (!file.ok()) return file.status();
    size_t written;
    s = (*file)->Append(contents, &written);
    if (s.ok()) s = (*file)->Sync();
  }
  if (s.ok()) s = RenameFile(tmp, path);
  if (!s.ok()) {
    (void)RemoveFile(tmp);
    return s;
  }
  size_t slash = path.rfind('/');
  return SyncDir(slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash)));
}

Result<std::unique_ptr<FileLock>> Env::LockFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return PosixError("open " + path, errno);
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    int err = errno;
    ::close(fd);
    if (err == EWOULDBLOCK) return Status::Busy("database " + path + " is in use by another process");
    return PosixError("lock " + path, err);
  }
  return std::unique_ptr<FileLock>(std::make_unique<PosixFileLock>(fd));
}

Result<std::unique_ptr<WritableFile>> FaultInjectionEnv::NewAppendableFile(
    const std::string& path) {
  auto file = Env::NewAppendableFile(path);
  if (!file.ok()) return file.status();
  struct stat st;
  uint64_t size = ::stat(path.c_str(), &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
  return std::unique_ptr<WritableFile>(std::make_unique<FaultyFile>(std::move(*file), this, size));
}

}  // namespace strata
