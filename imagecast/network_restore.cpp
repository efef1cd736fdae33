#include "imagecast/network_restore.hpp"

#include "imagecast/image_chunk_sink.hpp"
#include "imagecast/session_receive.hpp"

namespace castline::imagecast {

void restore_from_session(const NetworkRestoreOptions& options) {
    ImageChunkSink sink({.target = options.target,
                         .image_password = options.image_password,
                         .verify = options.verify,
                         .write = options.write});
    receive_session(options.receiver, sink, options.on_progress);
}

}  // namespace castline::imagecast
