#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "daemon/http_boot_files.hpp"

using namespace castline;
using namespace castline::daemon;
namespace fs = std::filesystem;

TEST_CASE("percent decoding") {
    CHECK(percent_decode("/a%20b") == "/a b");
    CHECK(percent_decode("/%2e%2E/x") == "/../x");
    CHECK(percent_decode("/a%00b") == std::string("/a\0b", 4));
    CHECK_FALSE(percent_decode("/a%2"));
    CHECK_FALSE(percent_decode("/a%zz"));
    CHECK_FALSE(percent_decode("%"));
}

TEST_CASE("single byte ranges; several or junk serve the whole file; past the end is 416") {
    auto range = [](std::string_view h, std::uint64_t size) { return parse_range(h, size); };
    auto r = std::get<ByteRange>(range("bytes=0-99", 1000));
    CHECK((r.first == 0 && r.last == 99));
    r = std::get<ByteRange>(range("bytes=900-", 1000));
    CHECK((r.first == 900 && r.last == 999));
    r = std::get<ByteRange>(range("bytes=-100", 1000));
    CHECK((r.first == 900 && r.last == 999));
    r = std::get<ByteRange>(range("bytes=990-5000", 1000));
    CHECK(r.last == 999);
    r = std::get<ByteRange>(range("bytes=-5000", 1000));
    CHECK(r.first == 0);
    CHECK(std::holds_alternative<WholeFile>(range("", 1000)));
    CHECK(std::holds_alternative<WholeFile>(range("bytes=0-1,5-6", 1000)));
    CHECK(std::holds_alternative<WholeFile>(range("bytes=5-1", 1000)));
    CHECK(std::holds_alternative<WholeFile>(range("bytes=x-", 1000)));
    CHECK(std::holds_alternative<WholeFile>(range("items=0-1", 1000)));
    CHECK(std::holds_alternative<Unsatisfiable>(range("bytes=1000-", 1000)));
    CHECK(std::holds_alternative<Unsatisfiable>(range("bytes=-0", 1000)));
}

TEST_CASE("the boot files handler: files, ranges, virtual files and refusals") {
    const fs::path base =
        fs::temp_directory_path() / ("castline-http-files-" + std::to_string(::getpid()));
    fs::remove_all(base);
    fs::create_directories(base / "root" / "efi");
    std::ofstream(base / "root" / "efi" / "boot.efi") << "0123456789";
    std::ofstream(base / "secret") << "secret";
    fs::create_symlink("../secret", base / "root" / "link");
    auto files = std::make_shared<tftp::VirtualFiles>();
    files->add("boot.ipxe", [](const tftp::VirtualFileRequest& r) -> std::optional<std::string> {
        return "#!ipxe for " + r.client.to_string();
    });
    const auto handler = boot_files_handler(std::make_shared<tftp::BootRoot>(base / "root"), files);
    const HttpClient client{*Ipv4Address::parse("198.18.0.5"), 1234};
    auto get = [&](std::string target, std::string range = "") {
        HttpRequest r{http::verb::get, target, 11};
        if (!range.empty()) r.set(http::field::range, range);
        return handler(r, client);
    };
    auto status = [](const HttpResponse& r) {
        if (auto* s = std::get_if<HttpStringResponse>(&r)) return static_cast<int>(s->result_int());
        return static_cast<int>(std::get<HttpFileResponse>(r).header.result_int());
    };

    auto whole = get("/efi/boot.efi");
    REQUIRE(std::holds_alternative<HttpFileResponse>(whole));
    CHECK(std::get<HttpFileResponse>(whole).length == 10);
    CHECK(std::get<HttpFileResponse>(whole).header[http::field::content_length] == "10");

    auto part = get("/efi%2Fboot.efi", "bytes=2-4");
    REQUIRE(std::holds_alternative<HttpFileResponse>(part));
    CHECK(status(part) == 206);
    CHECK(std::get<HttpFileResponse>(part).offset == 2);
    CHECK(std::get<HttpFileResponse>(part).length == 3);
    CHECK(std::get<HttpFileResponse>(part).header[http::field::content_range] == "bytes 2-4/10");
    CHECK(status(get("/efi/boot.efi", "bytes=10-")) == 416);

    auto script = get("/boot.ipxe");
    REQUIRE(std::holds_alternative<HttpStringResponse>(script));
    CHECK(std::get<HttpStringResponse>(script).body() == "#!ipxe for 198.18.0.5");

    CHECK(status(get("/../secret")) == 403);
    CHECK(status(get("/%2e%2e/secret")) == 403);
    CHECK(status(get("/link")) == 403);
    CHECK(status(get("/efi/boot.efi%00.txt")) == 403);
    CHECK(status(get("/missing")) == 404);
    CHECK(status(get("/efi")) == 404);
    CHECK(status(get("/bad%zz")) == 400);
    for (auto target : {"/../secret", "/link", "/missing"}) {
        const auto r = get(target);
        CHECK(std::get<HttpStringResponse>(r).body().find(base.string()) == std::string::npos);
    }
    fs::remove_all(base);
}
