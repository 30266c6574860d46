#include "format/input_file.h"

#include <fcntl.h>
#include <zlib.h>

#include <algorithm>
#include <vector>

namespace kappa::format {

namespace {
constexpr size_t kGzipInputChunk = 256 * 1024;
}  // namespace

struct InputFile::Gz {
  z_stream zs{};
  std::vector<char> in;
  bool stream_end = false;  // the last member ended and no input follows

  Gz() : in(kGzipInputChunk) {}
  ~Gz() { inflateEnd(&zs); }
};

InputFile::InputFile(File file) : file_(std::move(file)) {}
InputFile::~InputFile() = default;

Result<std::unique_ptr<InputFile>> InputFile::Open(const std::string& path) {
  ASSIGN_OR_RETURN(File file, File::Open(path, File::Mode::kRead));
  ::posix_fadvise(file.fd(), 0, 0, POSIX_FADV_SEQUENTIAL);
  unsigned char magic[2] = {0, 0};
  ASSIGN_OR_RETURN(size_t got, file.Pread(0, magic, 2));
  std::unique_ptr<InputFile> in(new InputFile(std::move(file)));
  if (got == 2 && magic[0] == 0x1f && magic[1] == 0x8b) {
    in->gz_ = std::make_unique<Gz>();
    if (inflateInit2(&in->gz_->zs, 15 + 16) != Z_OK) {
      return Internal("{}: cannot initialize zlib", path);
    }
  }
  return in;
}

Result<size_t> InputFile::Read(char* buf, size_t n) {
  return gz_ ? ReadGzip(buf, n) : ReadRaw(buf, n);
}

Result<size_t> InputFile::ReadRaw(char* buf, size_t n) {
  ASSIGN_OR_RETURN(size_t got, file_.Pread(pos_, buf, n));
  pos_ += got;
  return got;
}

Result<size_t> InputFile::ReadGzip(char* buf, size_t n) {
  n = std::min<size_t>(n, size_t{1} << 30);
  Gz& gz = *gz_;
  z_stream& zs = gz.zs;
  zs.next_out = reinterpret_cast<Bytef*>(buf);
  zs.avail_out = static_cast<uInt>(n);
  while (zs.avail_out == n && !gz.stream_end) {
    if (zs.avail_in == 0) {
      ASSIGN_OR_RETURN(size_t got, ReadRaw(gz.in.data(), gz.in.size()));
      if (got == 0) return Corruption("{}: unexpected end of gzip data", path());
      zs.next_in = reinterpret_cast<Bytef*>(gz.in.data());
      zs.avail_in = static_cast<uInt>(got);
    }
    int rc = inflate(&zs, Z_NO_FLUSH);
    if (rc == Z_STREAM_END) {
      if (zs.avail_in == 0 && pos_ == file_.Size()) {
        gz.stream_end = true;
      } else {
        inflateReset(&zs);  // another member follows
      }
    } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
      return Corruption("{}: corrupt gzip data: {}", path(), zs.msg ? zs.msg : "inflate failed");
    }
  }
  return n - zs.avail_out;
}

}  // namespace kappa::format
