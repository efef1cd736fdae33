#include "imagecast/file_receive.hpp"

#include "imagecast/file_receive_sink.hpp"
#include "imagecast/session_receive.hpp"

namespace castline::imagecast {

void receive_file(const FileReceiveOptions& options) {
    FileReceiveSink sink(options.target, options.sync);
    receive_session(options.receiver, sink, options.on_progress);
}

}  // namespace castline::imagecast
