#include <doctest/doctest.h>
#include <sys/stat.h>

#include "imager/background_flush.hpp"
#include "imager/errors.hpp"
#include "imager_test_support.hpp"

using namespace castline::imager;
using namespace castline::imager::testing;

TEST_CASE("requested files are flushed and finish() returns once they are") {
    TempDir dir;
    File a(dir / "a", File::Mode::create_truncate);
    File b(dir / "b", File::Mode::create_truncate);
    const auto bytes = random_bytes(1 << 20, 1);
    a.write_at(0, bytes);
    b.write_at(0, bytes);
    BackgroundFlush flush;
    for (int i = 0; i < 3; ++i) {
        flush.request(a);
        flush.request(b);
    }
    CHECK_NOTHROW(flush.finish());
    CHECK_NOTHROW(flush.finish());  // a second finish has nothing left to wait for
}

TEST_CASE("a failed flush is reported by finish() with the file's name") {
    // fdatasync refuses a FIFO (EINVAL): the failure must not be lost on the flushing thread.
    TempDir dir;
    const auto fifo = dir / "not-a-file";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    File pipe(fifo, File::Mode::write_existing);  // O_RDWR: opening does not wait for a reader
    BackgroundFlush flush;
    flush.request(pipe);
    try {
        flush.finish();
        FAIL("finish() did not report the failed flush");
    } catch (const ImagerError& e) {
        CHECK(e.code == ExitCode::io_error);
        CHECK(std::string(e.what()).find("not-a-file: fdatasync") != std::string::npos);
    }
}

TEST_CASE("destroying an unfinished flusher waits for its thread") {
    TempDir dir;
    File a(dir / "a", File::Mode::create_truncate);
    a.write_at(0, random_bytes(4096, 2));
    {
        BackgroundFlush flush;
        flush.request(a);
    }  // no finish(): the destructor joins; the file is still open here
    CHECK(a.size() == 4096);
}
