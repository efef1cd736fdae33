// Every example config in config/examples loads without errors once the images it images hosts
// from are captured, and the fixed keys of the schema parse exactly as issue 2 shows them.
#include <doctest/doctest.h>

#include "config/loader.hpp"
#include "config_test_support.hpp"

using namespace castline;
using namespace castline::config;
using castline::config::testing::all_text;
using castline::config::testing::TempDir;

namespace {
const std::filesystem::path examples =
    std::filesystem::path(CASTLINE_SOURCE_DIR) / "config/examples";

// The examples with the images they image hosts from, as if captured (a copy in a TempDir).
struct CapturedExamples {
    TempDir dir;
    CapturedExamples() {
        std::filesystem::copy(examples, dir.path(), std::filesystem::copy_options::recursive);
        for (const auto* image :
             {"images/base.cimg", "images/win11-assembly.cimg", "images/win11-test.cimg"})
            dir.write(image, "captured");
    }
    std::filesystem::path path() const { return dir.path(); }
};
}  // namespace

TEST_CASE("every top-level example config loads clean once its images are captured") {
    const CapturedExamples captured;
    int checked = 0;
    for (const auto& entry : std::filesystem::directory_iterator(examples)) {
        if (entry.path().extension() != ".yaml") continue;
        CAPTURE(entry.path().string());
        // Before the capture each image hosts are imaged from is an error, and nothing else is.
        const auto before = load_file(entry.path());
        CHECK_FALSE(before.ok());
        for (const auto& d : before.diagnostics) {
            CAPTURE(d.to_string());
            CHECK(d.key_path.ends_with(".path"));
            CHECK(d.message.find("images from it") != std::string::npos);
        }
        const auto result = load_file(captured.path() / entry.path().filename());
        INFO(all_text(result.diagnostics));
        CHECK(result.ok());
        ++checked;
    }
    CHECK(checked >= 2);
}

TEST_CASE("lab.yaml: the fixed keys parse as documented") {
    const CapturedExamples captured;
    const auto examples = captured.path();
    const auto result = load_file(examples / "lab.yaml");
    INFO(all_text(result.diagnostics));
    REQUIRE(result.ok());
    const auto& c = *result.config;
    CHECK(c.version == 1);
    CHECK(c.server.interfaces == std::vector<std::string>{"lab0"});
    CHECK(c.server.data_dir == (examples / "state").lexically_normal());
    CHECK(c.server.log_level == log::Level::info);
    CHECK(c.boot.root == (examples / "boot").lexically_normal());
    CHECK(c.boot.tftp_port == 69);
    CHECK(c.boot.http_port == 8080);
    CHECK(c.dhcp.mode == DhcpMode::full);
    REQUIRE(c.dhcp.pools.size() == 1);
    CHECK(c.dhcp.pools[0].interface == "lab0");
    CHECK(c.dhcp.pools[0].first == *Ipv4Address::parse("198.18.0.100"));
    CHECK(c.dhcp.pools[0].last == *Ipv4Address::parse("198.18.0.199"));
    CHECK(c.dhcp.pools[0].router == Ipv4Address::parse("198.18.0.1"));
    CHECK(c.dhcp.pools[0].lease_time == std::chrono::hours(1));
    REQUIRE(c.hosts.size() == 2);
    CHECK(c.hosts[0].mac == *MacAddress::parse("52:54:00:00:00:01"));
    CHECK(c.hosts[0].name == "ws01");
    CHECK(c.hosts[0].group == "lab");
    CHECK(c.hosts[0].vars.at("OrgName") == "Example");
    CHECK(c.groups.at("lab").image == "base");
    CHECK(c.groups.at("lab").action == HostAction::image);
    CHECK(c.images.at("base").path == (examples / "images/base.cimg").lexically_normal());
}

TEST_CASE("factory-line.yaml: proxy mode, included hosts, sessions, postconfig, schedule") {
    const CapturedExamples captured;
    const auto examples = captured.path();
    const auto result = load_file(examples / "factory-line.yaml");
    INFO(all_text(result.diagnostics));
    REQUIRE(result.ok());
    const auto& c = *result.config;
    CHECK(c.dhcp.mode == DhcpMode::proxy);
    CHECK(c.dhcp.pools.empty());
    CHECK(c.included_files.size() == 1);
    CHECK(c.hosts.size() == 17);  // all from fleet/hosts-a.yaml
    CHECK(c.hosts[0].location.file ==
          (examples / "fleet/hosts-a.yaml").lexically_normal().string());
    CHECK(c.groups.size() == 3);
    CHECK(c.sessions.at("assembly-night").constantcast);
    CHECK(c.sessions.at("assembly-night").max_wait == std::chrono::minutes(10));
    const auto& pc = c.postconfig.at("windows-naming");
    CHECK(pc.sysprep.size() == 3);
    CHECK(pc.unattend.size() == 3);
    REQUIRE(pc.files.size() == 1);
    CHECK(pc.files[0].source == (examples / "files/SetupComplete.cmd").lexically_normal());
    CHECK(c.schedules.at("weeknights").days.size() == 5);
    CHECK(c.rollouts.at("nightly-line").groups.size() == 2);
    CHECK(c.wake.count == 8);
}
