#include "log/segment_recovery.h"

#include <algorithm>
#include <set>

#include "log/batch_reader.h"
#include "log/layout.h"
#include "spdlog/spdlog.h"

namespace kappa::log {
namespace {

Result<std::shared_ptr<File>> OpenLogFile(const RecoveryContext& ctx, Offset base) {
  ASSIGN_OR_RETURN(File f, File::Open(SegmentPath(ctx.dir, base, kLogSuffix),
                                      File::Mode::kReadWrite));
  return std::make_shared<File>(std::move(f));
}

std::shared_ptr<Segment> EmptySegment(const RecoveryContext& ctx, Offset base,
                                      std::shared_ptr<File> file) {
  SegmentState state;
  state.end = base;
  state.min_known = true;
  return std::make_shared<Segment>(ctx.dir, base, std::move(file), ctx.index_interval_bytes,
                                   std::move(state));
}

// A bad batch at `pos` (expected to hold `offset`): DataLoss if anything
// valid follows or the segment is sealed; otherwise the tail is torn and
// is cut at pos.
Status HandleBadBatch(const RecoveryContext& ctx, File& file, uint64_t pos, Offset offset,
                      const Status& why, bool tail) {
  ASSIGN_OR_RETURN(std::optional<uint64_t> valid, FindValidBatchAfter(file, pos + 1, file.Size()));
  if (valid) {
    return Corruption("{}: corrupt batch at offset {} (position {} of {}) followed by valid "
                      "data at position {}: {}", ctx.what, offset, pos, file.path(), *valid,
                      why.message());
  }
  if (!tail) {
    return Corruption("{}: sealed segment {} ends with a bad batch at offset {} (position {}): {}",
                      ctx.what, file.path(), offset, pos, why.message());
  }
  spdlog::warn("{}: truncating {} at position {} (offset {}, {} bytes dropped): {}", ctx.what,
               file.path(), pos, offset, file.Size() - pos, why.message());
  return file.Truncate(pos);
}

// Replays a verified scan of `file` into a new Segment; handles a bad batch
// as HandleBadBatch says.
Result<std::shared_ptr<Segment>> ScanSegment(const RecoveryContext& ctx, Offset base,
                                             std::shared_ptr<File> file, bool tail) {
  auto seg = EmptySegment(ctx, base, file);
  BatchScanner scanner(*file, file->Size());
  for (;;) {
    BatchScanner::State state = scanner.Next();
    if (state == BatchScanner::State::kEnd) break;
    if (state == BatchScanner::State::kIoError) return scanner.error().WithContext(ctx.what);
    Status why = scanner.error();
    if (state == BatchScanner::State::kBatch) {
      if (scanner.header().base_offset == seg->end().value()) {
        seg->AddRecovered(scanner.header());
        continue;
      }
      why = Corruption("baseOffset {} where {} was expected", scanner.header().base_offset,
                       seg->end());
    }
    RETURN_IF_ERROR(HandleBadBatch(ctx, *file, scanner.position(), seg->end(), why, tail));
    break;
  }
  ASSIGN_OR_RETURN(int64_t mtime, FileMtimeMillis(file->path()));
  seg->set_last_append_ms(mtime);
  return seg;
}

Status CheckEnd(const RecoveryContext& ctx, const Segment& seg, Offset next_base) {
  if (seg.end() == next_base) return OkStatus();
  return Corruption("{}: segment {} ends at offset {} but the next segment starts at {}",
                    ctx.what, seg.path(kLogSuffix), seg.end(), next_base);
}

Result<std::shared_ptr<Segment>> RebuildSealed(const RecoveryContext& ctx, Offset base,
                                               Offset next_base, std::shared_ptr<File> file,
                                               const Status& why) {
  spdlog::warn("{}: rebuilding the indexes of {}: {}", ctx.what, file->path(), why.message());
  ASSIGN_OR_RETURN(auto seg, ScanSegment(ctx, base, std::move(file), /*tail=*/false));
  RETURN_IF_ERROR(CheckEnd(ctx, *seg, next_base));
  RETURN_IF_ERROR(seg->Seal());
  return seg;
}

// Loads and checks the indexes of a sealed segment of `size` bytes.
Status LoadIndexes(const RecoveryContext& ctx, Offset base, Offset next_base, uint64_t size,
                   SegmentState* state) {
  ASSIGN_OR_RETURN(std::string index_bytes, ReadFile(SegmentPath(ctx.dir, base, kIndexSuffix)));
  ASSIGN_OR_RETURN(state->index, OffsetIndex::Parse(index_bytes));
  RETURN_IF_ERROR(state->index.CheckBounds(size, next_base - base));
  ASSIGN_OR_RETURN(std::string time_bytes, ReadFile(SegmentPath(ctx.dir, base, kTimeIndexSuffix)));
  ASSIGN_OR_RETURN(state->time_index, TimeIndex::Parse(time_bytes));
  RETURN_IF_ERROR(state->time_index.CheckBounds(next_base - base));
  if (!state->time_index.Last()) return Corruption("time index of a sealed segment is empty");
  state->max_timestamp = state->time_index.Last()->timestamp;
  return OkStatus();
}

// Walks the batch headers after the last offset index entry to the end of
// the file, checking offsets; fills size, end and last_batch_rel.
Status WalkLastBatches(const File& file, Offset base, uint64_t size, SegmentState* state) {
  OffsetIndex::Entry e = state->index.Last();
  Offset expected = base + e.relative_offset;
  for (uint64_t pos = e.position; pos < size;) {
    ASSIGN_OR_RETURN(BatchHeader h, ReadBatchHeaderAt(file, pos, size));
    if (h.base_offset != expected.value()) {
      return Corruption("batch at position {} has baseOffset {}, expected {}", pos,
                        h.base_offset, expected);
    }
    state->last_batch_rel = static_cast<uint32_t>(expected - base);
    expected += h.records_count;
    pos += h.total_size();
  }
  state->size = size;
  state->end = expected;
  return OkStatus();
}

void RemoveSegmentFiles(const RecoveryContext& ctx, Offset base) {
  for (std::string_view suffix : {kLogSuffix, kIndexSuffix, kTimeIndexSuffix}) {
    Status s = RemoveFile(SegmentPath(ctx.dir, base, suffix));
    if (!s.ok()) spdlog::warn("{}: {}", ctx.what, s);
  }
}

Result<uint64_t> LogFileSize(const RecoveryContext& ctx, Offset base) {
  ASSIGN_OR_RETURN(File f, File::Open(SegmentPath(ctx.dir, base, kLogSuffix), File::Mode::kRead));
  return f.Size();
}

// The base offsets of the .log files in ctx.dir; removes stray files.
Result<std::vector<Offset>> ListSegments(const RecoveryContext& ctx) {
  ASSIGN_OR_RETURN(std::vector<std::string> names, ListDir(ctx.dir));
  std::set<Offset> logs;
  for (const std::string& name : names) {
    if (auto base = ParseSegmentName(name, kLogSuffix)) logs.insert(*base);
  }
  for (const std::string& name : names) {
    std::optional<Offset> base = ParseSegmentName(name, kIndexSuffix);
    if (!base) base = ParseSegmentName(name, kTimeIndexSuffix);
    bool stray = (base && !logs.contains(*base)) || name.ends_with(".tmp");
    if (stray) {
      spdlog::warn("{}: removing stray file {}", ctx.what, name);
      RETURN_IF_ERROR(RemoveFile(ctx.dir + "/" + name));
    }
  }
  return std::vector<Offset>(logs.begin(), logs.end());
}

}  // namespace

Result<std::shared_ptr<Segment>> RecoverTailSegment(const RecoveryContext& ctx, Offset base) {
  ASSIGN_OR_RETURN(auto file, OpenLogFile(ctx, base));
  ASSIGN_OR_RETURN(auto seg, ScanSegment(ctx, base, file, /*tail=*/true));
  RETURN_IF_ERROR(seg->WriteIndexes(/*sync=*/false));
  RETURN_IF_ERROR(seg->Sync());
  seg->MarkCommitted(seg->size(), seg->end());
  return seg;
}

Result<std::shared_ptr<Segment>> OpenSealedSegment(const RecoveryContext& ctx, Offset base,
                                                   Offset next_base) {
  ASSIGN_OR_RETURN(auto file, OpenLogFile(ctx, base));
  uint64_t size = file->Size();
  if (size == 0) {
    if (base != next_base) return CheckEnd(ctx, *EmptySegment(ctx, base, file), next_base);
    spdlog::warn("{}: removing empty segment {}", ctx.what, file->path());
    RemoveSegmentFiles(ctx, base);
    return std::shared_ptr<Segment>();
  }
  SegmentState state;
  Status loaded = LoadIndexes(ctx, base, next_base, size, &state);
  if (loaded.ok()) loaded = WalkLastBatches(*file, base, size, &state);
  if (!loaded.ok()) return RebuildSealed(ctx, base, next_base, std::move(file), loaded);
  ASSIGN_OR_RETURN(state.last_append_ms, FileMtimeMillis(file->path()));
  auto seg = std::make_shared<Segment>(ctx.dir, base, std::move(file), ctx.index_interval_bytes,
                                       std::move(state));
  RETURN_IF_ERROR(CheckEnd(ctx, *seg, next_base));
  seg->MarkCommitted(seg->size(), seg->end());
  return seg;
}

Result<std::vector<std::shared_ptr<Segment>>> RecoverSegments(const RecoveryContext& ctx) {
  ASSIGN_OR_RETURN(std::vector<Offset> bases, ListSegments(ctx));
  std::vector<std::shared_ptr<Segment>> segments;
  if (bases.empty()) {
    ASSIGN_OR_RETURN(auto seg, Segment::Create(ctx.dir, Offset(0), ctx.index_interval_bytes));
    RETURN_IF_ERROR(SyncDir(ctx.dir));
    segments.push_back(std::move(seg));
    return segments;
  }
  while (bases.size() > 1) {
    ASSIGN_OR_RETURN(uint64_t size, LogFileSize(ctx, bases.back()));
    if (size != 0) break;
    spdlog::warn("{}: removing empty tail segment {}", ctx.what, bases.back());
    RemoveSegmentFiles(ctx, bases.back());
    bases.pop_back();
  }
  for (size_t i = 0; i + 1 < bases.size(); ++i) {
    ASSIGN_OR_RETURN(auto seg, OpenSealedSegment(ctx, bases[i], bases[i + 1]));
    if (seg) segments.push_back(std::move(seg));
  }
  ASSIGN_OR_RETURN(auto tail, RecoverTailSegment(ctx, bases.back()));
  segments.push_back(std::move(tail));
  return segments;
}

}  // namespace kappa::log
