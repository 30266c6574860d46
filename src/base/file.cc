#include "base/file.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <filesystem>

namespace kappa {

File::~File() {
  if (fd_ >= 0) ::close(fd_);
}

File::File(File&& o) noexcept : fd_(o.fd_), size_(o.size_), path_(std::move(o.path_)) {
  o.fd_ = -1;
}

File& File::operator=(File&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = o.fd_;
    size_ = o.size_;
    path_ = std::move(o.path_);
    o.fd_ = -1;
  }
  return *this;
}

Result<File> File::Open(const std::string& path, Mode mode) {
  int flags = O_CLOEXEC;
  switch (mode) {
    case Mode::kRead: flags |= O_RDONLY; break;
    case Mode::kReadWrite: flags |= O_RDWR; break;
    case Mode::kCreateReadWrite: flags |= O_RDWR | O_CREAT; break;
  }
  int fd = ::open(path.c_str(), flags, 0644);
  if (fd < 0) return ErrnoError("open", path, errno);
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    return ErrnoError("stat", path, err);
  }
  File f;
  f.fd_ = fd;
  f.size_ = static_cast<uint64_t>(st.st_size);
  f.path_ = path;
  return f;
}

Status File::Append(std::string_view data) {
  RETURN_IF_ERROR(Pwrite(size_, data));
  return OkStatus();
}

Status File::AppendParts(std::span<const std::string_view> parts) {
  std::array<iovec, 8> iov;
  if (parts.size() > iov.size()) return Internal("AppendParts: {} parts", parts.size());
  size_t count = 0;
  for (std::string_view p : parts) {
    if (!p.empty()) iov[count++] = iovec{const_cast<char*>(p.data()), p.size()};
  }
  size_t first = 0;
  uint64_t at = size_;
  while (first < count) {
    ssize_t n = ::pwritev(fd_, &iov[first], static_cast<int>(count - first), static_cast<off_t>(at));
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoError("write", path_, errno);
    }
    if (n == 0) return IoError("write {}: no progress", path_);
    at += static_cast<uint64_t>(n);
    for (size_t left = static_cast<size_t>(n); left > 0;) {  // skip what was written
      size_t take = std::min(left, iov[first].iov_len);
      iov[first].iov_base = static_cast<char*>(iov[first].iov_base) + take;
      iov[first].iov_len -= take;
      left -= take;
      if (iov[first].iov_len == 0) ++first;
    }
  }
  size_ = std::max(size_, at);
  return OkStatus();
}

Status File::Pwrite(uint64_t pos, std::string_view data) {
  const char* p = data.data();
  size_t left = data.size();
  uint64_t at = pos;
  while (left > 0) {
    ssize_t n = ::pwrite(fd_, p, left, static_cast<off_t>(at));
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoError("write", path_, errno);
    }
    p += n;
    left -= static_cast<size_t>(n);
    at += static_cast<uint64_t>(n);
  }
  size_ = std::max(size_, at);
  return OkStatus();
}

Result<size_t> File::Pread(uint64_t pos, void* buf, size_t n) const {
  char* p = static_cast<char*>(buf);
  size_t got = 0;
  while (got < n) {
    ssize_t r = ::pread(fd_, p + got, n - got, static_cast<off_t>(pos + got));
    if (r < 0) {
      if (errno == EINTR) continue;
      return ErrnoError("read", path_, errno);
    }
    if (r == 0) break;
    got += static_cast<size_t>(r);
  }
  return got;
}

Status File::PreadExact(uint64_t pos, void* buf, size_t n) const {
  ASSIGN_OR_RETURN(size_t got, Pread(pos, buf, n));
  if (got != n) return OutOfRange("{}: short read at {} ({} of {} bytes)", path_, pos, got, n);
  return OkStatus();
}

Status File::Sync() {
  if (::fdatasync(fd_) != 0) return ErrnoError("fdatasync", path_, errno);
  return OkStatus();
}

Status File::Truncate(uint64_t size) {
  if (::ftruncate(fd_, static_cast<off_t>(size)) != 0) return ErrnoError("truncate", path_, errno);
  size_ = size;
  return OkStatus();
}

Result<std::string> ReadFile(const std::string& path) {
  ASSIGN_OR_RETURN(File f, File::Open(path, File::Mode::kRead));
  std::string out(f.Size(), '\0');
  ASSIGN_OR_RETURN(size_t n, f.Pread(0, out.data(), out.size()));
  out.resize(n);
  return out;
}

Status SyncDir(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return ErrnoError("open dir", dir, errno);
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  if (rc != 0) return ErrnoError("fsync dir", dir, err);
  return OkStatus();
}

Status WriteFileAtomic(const std::string& path, std::string_view contents) {
  std::string tmp = path + ".tmp";
  {
    ASSIGN_OR_RETURN(File f, File::Open(tmp, File::Mode::kCreateReadWrite));
    RETURN_IF_ERROR(f.Truncate(0));
    RETURN_IF_ERROR(f.Append(contents));
    if (::fsync(f.fd()) != 0) return ErrnoError("fsync", tmp, errno);
  }
  RETURN_IF_ERROR(RenamePath(tmp, path));
  std::string dir = std::filesystem::path(path).parent_path().string();
  return SyncDir(dir.empty() ? "." : dir);
}

Status CreateDirs(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return IoError("create directory {}: {}", dir, ec.message());
  return OkStatus();
}

Status RemoveTree(const std::string& path) {
  std::error_code ec;
  std::filesystem::remove_all(path, ec);
  if (ec) return IoError("remove {}: {}", path, ec.message());
  return OkStatus();
}

Status RemoveFile(const std::string& path) {
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) return ErrnoError("unlink", path, errno);
  return OkStatus();
}

Status RenamePath(const std::string& from, const std::string& to) {
  if (::rename(from.c_str(), to.c_str()) != 0) return ErrnoError("rename", from, errno);
  return OkStatus();
}

Result<std::vector<std::string>> ListDir(const std::string& dir) {
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return ErrnoError("list", dir, errno);
  std::vector<std::string> names;
  while (struct dirent* e = ::readdir(d)) {
    std::string_view n = e->d_name;
    if (n != "." && n != "..") names.emplace_back(n);
  }
  ::closedir(d);
  std::sort(names.begin(), names.end());
  return names;
}

bool PathExists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

Result<int64_t> FileMtimeMillis(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return ErrnoError("stat", path, errno);
  return static_cast<int64_t>(st.st_mtim.tv_sec) * 1000 + st.st_mtim.tv_nsec / 1000000;
}

DirLock::~DirLock() {
  ::flock(fd_, LOCK_UN);
  ::close(fd_);
}

Result<std::unique_ptr<DirLock>> DirLock::Acquire(const std::string& dir,
                                                   std::string_view holder) {
  RETURN_IF_ERROR(CreateDirs(dir));
  std::string path = dir + "/LOCK";
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return ErrnoError("open", path, errno);
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    int err = errno;
    ::close(fd);
    if (err == EWOULDBLOCK) {
      return Busy("data dir {} is in use by {}", dir, Holder(dir));
    }
    return ErrnoError("lock", path, err);
  }
  std::string who = fmt::format("pid {} ({})\n", ::getpid(), holder);
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, who.data(), who.size(), 0) < 0) {
    int err = errno;
    ::close(fd);
    return ErrnoError("write", path, err);
  }
  return std::unique_ptr<DirLock>(new DirLock(fd));
}

std::string DirLock::Holder(const std::string& dir) {
  std::string path = dir + "/LOCK";
  int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0) return "";
  bool held = ::flock(fd, LOCK_SH | LOCK_NB) != 0;
  if (!held) ::flock(fd, LOCK_UN);
  ::close(fd);
  if (!held) return "";
  auto text = ReadFile(path);
  if (!text.ok()) return "another process";
  std::string s = *text;
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s.empty() ? "another process" : s;
}

}  // namespace kappa
