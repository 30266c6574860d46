// The file-system seam: every byte Kappa stores goes through these functions,
// so durability rules live in one place. A File is an owned POSIX descriptor
// (move-only, closed on destruction). Functions return Status with the path
// and the OS error; none throws. A File is not synchronized: one writer at a
// time, concurrent Pread calls are safe.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace kappa {

class File {
 public:
  enum class Mode { kRead, kReadWrite, kCreateReadWrite };

  File() = default;
  ~File();
  File(File&& o) noexcept;
  File& operator=(File&& o) noexcept;
  File(const File&) = delete;
  File& operator=(const File&) = delete;

  static Result<File> Open(const std::string& path, Mode mode);

  // Writes all of data at the current end of the file (tracked by Size()).
  Status Append(std::string_view data);
  // Writes the concatenation of `parts` (at most 8) at the end of the file,
  // with one pwritev when the kernel takes it all: e.g. a patched header and
  // the rest of a record without copying them together.
  Status AppendParts(std::span<const std::string_view> parts);
  // Writes all of data at `pos` (does not move Size() back).
  Status Pwrite(uint64_t pos, std::string_view data);
  // Reads exactly n bytes at pos into buf; OutOfRange if the file is shorter.
  Status PreadExact(uint64_t pos, void* buf, size_t n) const;
  // Reads up to n bytes at pos; returns the count read (0 at end of file).
  Result<size_t> Pread(uint64_t pos, void* buf, size_t n) const;
  // fdatasync: the data (and size) written so far survive a crash.
  Status Sync();
  Status Truncate(uint64_t size);

  uint64_t Size() const { return size_; }
  int fd() const { return fd_; }
  const std::string& path() const { return path_; }
  bool is_open() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
  uint64_t size_ = 0;
  std::string path_;
};

Result<std::string> ReadFile(const std::string& path);
// Writes to path.tmp, fsyncs, renames over path and fsyncs the directory: a
// reader sees the old contents or the new, never a mix.
Status WriteFileAtomic(const std::string& path, std::string_view contents);
Status SyncDir(const std::string& dir);
Status CreateDirs(const std::string& dir);
Status RemoveTree(const std::string& path);
Status RemoveFile(const std::string& path);
Status RenamePath(const std::string& from, const std::string& to);
// Sorted names of the entries of dir (without "." and "..").
Result<std::vector<std::string>> ListDir(const std::string& dir);
bool PathExists(const std::string& path);
// Seconds-resolution modification time in epoch milliseconds.
Result<int64_t> FileMtimeMillis(const std::string& path);

// An exclusive advisory lock on a directory, held until destruction. The
// lock file records who holds it, so a second process is told by whom.
class DirLock {
 public:
  ~DirLock();
  DirLock(const DirLock&) = delete;
  DirLock& operator=(const DirLock&) = delete;

  // Locks dir/LOCK. `holder` describes this process ("kappa server").
  // Fails with FailedPrecondition naming the pid and holder of the lock.
  static Result<std::unique_ptr<DirLock>> Acquire(const std::string& dir,
                                                  std::string_view holder);
  // Who holds dir's lock, or empty if no one does.
  static std::string Holder(const std::string& dir);

 private:
  explicit DirLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace kappa
