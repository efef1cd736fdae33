// The job castlined hands a host: session restore with its passwords, the post-config rendered
// for that host (castline's variables, group and host vars, $$), file drops in base64.
#include <doctest/doctest.h>

#include "config/loader.hpp"
#include "daemon/job_document.hpp"
#include "tests/config/config_test_support.hpp"

using namespace castline;
using castline::config::testing::base_config;
using castline::config::testing::TempDir;

namespace {
config::SiteConfig load(const TempDir& dir, const std::string& groups) {
    dir.write("image.pw", "image secret\n");
    dir.write("session.pw", "session secret\r\n");
    dir.write("note.txt", "host ${name} at $$5\n");
    // The password files lie beside the served tree, as they must (docs/config.md).
    auto head = base_config;
    head.replace(head.find("root: ."), 7, "root: ./boot");
    std::filesystem::create_directories(dir.path() / "boot");
    dir.write("base.cimg", "the captured image\n");  // hosts of group lab image from it
    const auto file = dir.write(
        "site.yaml",
        head +
            "hosts:\n"
            "  - {mac: \"52:54:00:00:00:01\", name: ws01, group: lab, vars: {OrgName: Host Org}}\n"
            "groups:\n" +
            groups +
            "images: {base: {path: ./base.cimg, password_file: ./image.pw}}\n"
            "sessions: {line: {image: base, password_file: ./session.pw}}\n"
            "postconfig:\n"
            "  win:\n"
            "    sysprep: {UserData: {ComputerName: \"${name}\", OrgName: \"${OrgName}\"}}\n"
            "    unattend: {specialize/Microsoft-Windows-Shell-Setup/ComputerName: "
            "\"PC-${name}\"}\n"
            "    files: [{source: ./note.txt, target: castline/note.txt, render: true}]\n");
    auto result = config::load_file(file);
    INFO(config::testing::all_text(result.diagnostics));
    REQUIRE(result.config);
    return *result.config;
}
}  // namespace

TEST_CASE("a session job with passwords and the host's rendered post-config") {
    TempDir dir;
    const auto config = load(dir,
                             "  lab: {image: base, action: image, session: line, postconfig: win, "
                             "vars: {OrgName: Group Org}}\n");
    const auto doc = daemon::job_document(config, config.hosts[0], "abcd", Ipv4Address{0xC6120001});
    CHECK(doc["token"] == "abcd");
    CHECK(doc["host"] == "ws01");
    CHECK(doc["image_password"] == "image secret");
    CHECK(doc["restore"]["method"] == "session");
    CHECK(doc["restore"]["session"] == "line");
    CHECK(doc["restore"]["server"] == "198.18.0.1");
    CHECK(doc["restore"]["password"] == "session secret");
    CHECK(doc["disk"]["rule"] == "only-fixed");
    const auto& pc = doc["postconfig"];
    REQUIRE(pc["sysprep"].size() == 2);
    for (const auto& s : pc["sysprep"]) {
        if (s["key"] == "ComputerName") CHECK(s["value"] == "ws01");
        if (s["key"] == "OrgName") CHECK(s["value"] == "Host Org");  // the host's var wins
    }
    CHECK(pc["unattend"][0]["value"] == "PC-ws01");
    // "host ws01 at $5\n", rendered, in base64
    CHECK(pc["files"][0]["content_base64"] == "aG9zdCB3czAxIGF0ICQ1Cg==");
}

TEST_CASE("a group without a session restores by unicast from the job's own image URL") {
    TempDir dir;
    const auto no_session = load(dir, "  lab: {image: base, action: image, postconfig: win}\n");
    const auto doc =
        daemon::job_document(no_session, no_session.hosts[0], "t0k", Ipv4Address{0xC6120001});
    CHECK(doc["restore"] ==
          nlohmann::json{{"method", "unicast"},
                         {"url", "http://198.18.0.1:8080/api/v1/jobs/t0k/image"}});
    CHECK(doc["image_password"] == "image secret");
    const auto plain = load(dir, "  lab: {image: base, action: image, session: line}\n");
    CHECK(daemon::job_document(plain, plain.hosts[0], "t", Ipv4Address{0xC6120001})["postconfig"]
              .is_null());
}

TEST_CASE("the group's imaging keys, and a host's own, shape the job") {
    TempDir dir;
    const auto config =
        load(dir,
             "  lab: {image: base, action: image, session: line, restore: unicast,\n"
             "        disk: {model: \"QEMU*\", min_size: 1GiB}, verify: false,\n"
             "        power: poweroff}\n");
    const auto doc = daemon::job_document(config, config.hosts[0], "t", Ipv4Address{0xC6120001});
    CHECK(doc["restore"]["method"] == "unicast");  // restore: unicast wins over the session
    CHECK(doc["disk"] == nlohmann::json{{"rule", "match"},
                                        {"path", ""},
                                        {"model", "QEMU*"},
                                        {"serial", ""},
                                        {"min_size", 1 << 30},
                                        {"max_size", 0}});
    CHECK(doc["verify"] == false);
    CHECK(doc["power"] == "poweroff");
    const auto image = daemon::job_image(config, config.hosts[0]);
    CHECK(image.name == "base");
    CHECK(image.password == "image secret");
}

TEST_CASE("no job for a host whose group has no image") {
    TempDir dir;
    const auto config = load(dir, "  lab: {session: line}\n");
    CHECK_THROWS_WITH_AS(
        daemon::job_document(config, config.hosts[0], "t", Ipv4Address{0xC6120001}),
        doctest::Contains("has no group with an image"), daemon::JobError);
}

TEST_CASE("a password file that is not UTF-8 fails the job naming the file") {
    TempDir dir;
    const auto config = load(dir, "  lab: {image: base, action: image, session: line}\n");
    dir.write("session.pw", "caf\xe9\n");  // Latin-1: would reach the imager as U+FFFD
    const auto expected =
        "session password file " + (dir.path() / "session.pw").string() + " is not UTF-8 text";
    CHECK_THROWS_WITH_AS(
        daemon::job_document(config, config.hosts[0], "t", Ipv4Address{0xC6120001}),
        doctest::Contains(expected.c_str()), daemon::JobError);
}

TEST_CASE("a rollout's image, session and post-config win over the group's") {
    TempDir dir;
    const auto config = load(dir, "  lab: {image: base, action: image, session: line}\n");
    config::Rollout rollout;
    rollout.name = "night";
    rollout.postconfig = "win";
    auto doc =
        daemon::job_document(config, config.hosts[0], "t", Ipv4Address{0xC6120001}, &rollout);
    CHECK(doc["restore"]["session"] == "line");  // the group's, sending the same image
    CHECK(doc["postconfig"]["unattend"][0]["value"] == "PC-ws01");
    // Another image: the group's session does not send it, so unicast.
    auto with_other = config;
    with_other.images["other"] = config.images.at("base");
    with_other.images["other"].name = "other";
    with_other.images["other"].password_file.clear();
    rollout.image = "other";
    doc = daemon::job_document(with_other, with_other.hosts[0], "t", Ipv4Address{0xC6120001},
                               &rollout);
    CHECK(doc["image"] == "other");
    CHECK(doc["image_password"].is_null());
    CHECK(doc["restore"]["method"] == "unicast");
    rollout.session = "line";
    doc = daemon::job_document(with_other, with_other.hosts[0], "t", Ipv4Address{0xC6120001},
                               &rollout);
    CHECK(doc["restore"]["session"] == "line");
}
