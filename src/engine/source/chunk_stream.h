// A ChunkStream is one task's share of a bounded source that is not a
// topic (a serving table's scan): the task polls Next until it returns
// nullopt, then ends the source's one channel. A ChunkStreamFactory hands
// each task of a dataflow its stream; streams of one factory may share
// work (a queue of files), so the factory must be thread-safe and outlive
// its streams. A stream is used by its task's thread only.
#pragma once

#include <memory>
#include <optional>

#include "base/status.h"
#include "engine/chunk.h"

namespace kappa::engine {

class ChunkStream {
 public:
  virtual ~ChunkStream() = default;
  // The next rows; nullopt once the stream is exhausted.
  virtual Result<std::optional<Chunk>> Next() = 0;
};

class ChunkStreamFactory {
 public:
  virtual ~ChunkStreamFactory() = default;
  virtual Result<std::unique_ptr<ChunkStream>> StreamForTask(int task) = 0;
};

}  // namespace kappa::engine
