#include <doctest/doctest.h>

#include "imager/errors.hpp"
#include "imager/postconfig_spec.hpp"

using namespace castline::imager;

TEST_CASE("the full spec form") {
    const auto spec = parse_postconfig_spec(R"({"partition": "2",
        "sysprep_path": "Sysprep/sysprep.inf",
        "sysprep": [{"section": "UserData", "key": "ComputerName", "value": "WS01"}],
        "sysprep_update": "[00-0A-48-00-DD-1A.SysprepInf.UserData]\r\nOrgName=X\r\n",
        "unattend_path": "Windows/Panther/unattend.xml",
        "unattend": [{"path": "specialize/Microsoft-Windows-Shell-Setup/ComputerName",
                      "value": "WS01"}],
        "files": [{"target": "castline/host.txt", "content_base64": "aGVsbG8K"}]})");
    CHECK(spec.partition == "2");
    CHECK(spec.sysprep_path == "Sysprep/sysprep.inf");
    REQUIRE(spec.sysprep.size() == 1);
    CHECK(spec.sysprep[0] == SysprepSetting{"UserData", "ComputerName", "WS01"});
    CHECK(spec.sysprep_update.find("OrgName=X") != std::string::npos);
    REQUIRE(spec.unattend.size() == 1);
    CHECK(spec.unattend[0].value == "WS01");
    REQUIRE(spec.files.size() == 1);
    CHECK(spec.files[0] == FileDropSpec{"castline/host.txt", "hello\n"});
}

TEST_CASE("every key is optional") {
    const auto spec = parse_postconfig_spec("{}");
    CHECK(spec.partition.empty());
    CHECK(spec.sysprep_path == "Sysprep/sysprep.inf");
    CHECK(spec.unattend_path == "Windows/Panther/unattend.xml");
    CHECK(spec.sysprep.empty());
    CHECK(spec.unattend.empty());
    CHECK(spec.files.empty());
    CHECK(parse_postconfig_spec(R"({"sysprep": null, "partition": null})").partition.empty());
}

TEST_CASE("each field's error names the field") {
    const auto fails = [](const std::string& json, const std::string& message) {
        CAPTURE(json);
        CHECK_THROWS_WITH_AS(parse_postconfig_spec(json), doctest::Contains(message.c_str()),
                             ImagerError);
    };
    fails("{", "post-config spec is not JSON");
    fails("[1e999]", "post-config spec is not JSON");
    fails("[]", "the spec: is array, expected an object");
    fails(R"({"partiton": "2"})", "partiton: unknown key");
    fails(R"({"partition": 2})", "partition: is number, expected a string");
    fails(R"({"sysprep_path": "../boot.ini"})", "sysprep_path: path \"../boot.ini\" climbs out");
    fails(R"({"unattend_path": "C:/unattend.xml"})",
          "unattend_path: path \"C:/unattend.xml\" "
          "names a drive");
    fails(R"({"sysprep_update": 5})", "sysprep_update: is number, expected a string");
    fails(R"({"sysprep": {}})", "sysprep: is object, expected a list");
    fails(R"({"sysprep": [{"section": "UserData", "key": "ComputerName"}]})",
          "sysprep[0].value: is missing");
    fails(R"({"sysprep": [{"section": "UserData", "key": "A", "value": "1", "x": 1}]})",
          "sysprep[0].x: unknown key");
    fails(R"({"sysprep": [{"section": "User]", "key": "A", "value": "1"}]})",
          "sysprep[0]: sysprep section \"User]\" is not an INI section name");
    fails(R"({"unattend": [{"path": "specialize/C/ComputerName", "value": "A"},
                          {"path": "specialise/C/ComputerName", "value": "A"}]})",
          "unattend[1].path: \"specialise\" is not an unattend pass");
    fails(R"({"unattend": [{"path": "specialize/C/ComputerName", "value": 1}]})",
          "unattend[0].value: is number, expected a string");
    fails(R"({"files": [{"content_base64": ""}]})", "files[0].target: is missing");
    fails(R"({"files": [{"target": "a/../../b", "content_base64": ""}]})",
          "files[0].target: path \"a/../../b\" climbs out");
    fails(R"({"files": [{"target": "a\\b", "content_base64": ""}]})",
          "files[0].target: path \"a\\b\" holds a backslash");
    fails(R"({"files": [{"target": "a", "content_base64": "not base64!"}]})",
          "files[0].content_base64: is not base64");
    fails(R"({"files": [{"target": "a"}]})", "files[0].content_base64: is missing");
}
