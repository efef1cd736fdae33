#include "imager/postconfig_spec.hpp"

#include <mbedtls/base64.h>

#include <nlohmann/json.hpp>
#include <set>

#include "imager/errors.hpp"
#include "imager/partition_files.hpp"

namespace castline::imager {
namespace {

using nlohmann::json;

[[noreturn]] void field_error(const std::string& field, const std::string& problem) {
    throw postconfig_failed("post-config spec: " + (field.empty() ? "the spec" : field) + ": " +
                            problem);
}

void only_keys(const json& object, const std::string& field, const std::set<std::string>& keys) {
    if (!object.is_object())
        field_error(field, "is " + std::string(object.type_name()) + ", expected an object");
    for (const auto& [key, value] : object.items())
        if (!keys.count(key)) field_error(field.empty() ? key : field + "." + key, "unknown key");
}

std::string text(const json& object, const std::string& key, const std::string& field,
                 bool required) {
    const auto it = object.find(key);
    if (it == object.end() || (it->is_null() && !required)) {
        if (required) field_error(field + key, "is missing");
        return {};
    }
    if (!it->is_string())
        field_error(field + key, "is " + std::string(it->type_name()) + ", expected a string");
    return it->get<std::string>();
}

std::string partition_path(const json& object, const std::string& key, const std::string& field,
                           std::string fallback) {
    if (!object.contains(key) || object[key].is_null()) return fallback;
    std::string path = text(object, key, field, true);
    try {
        split_partition_path(path);
    } catch (const ImagerError& e) {
        field_error(field + key, e.what());
    }
    return path;
}

const json& list(const json& object, const std::string& key) {
    static const json empty = json::array();
    const auto it = object.find(key);
    if (it == object.end() || it->is_null()) return empty;
    if (!it->is_array())
        field_error(key, "is " + std::string(it->type_name()) + ", expected a list");
    return *it;
}

std::string base64_decoded(const std::string& encoded, const std::string& field) {
    std::size_t size = 0;
    const auto* in = reinterpret_cast<const unsigned char*>(encoded.data());
    const int probe = mbedtls_base64_decode(nullptr, 0, &size, in, encoded.size());
    if (probe == MBEDTLS_ERR_BASE64_INVALID_CHARACTER)
        field_error(field, "is not base64 (RFC 4648, with padding)");
    std::string out(size, '\0');
    if (mbedtls_base64_decode(reinterpret_cast<unsigned char*>(out.data()), out.size(), &size, in,
                              encoded.size()) != 0)
        field_error(field, "is not base64 (RFC 4648, with padding)");
    out.resize(size);
    return out;
}

}  // namespace

PostConfigSpec parse_postconfig_spec(std::string_view text_in) {
    json root;
    try {
        root = json::parse(text_in);
    } catch (const json::exception& e) {  // parse_error, and out_of_range for huge numbers
        throw postconfig_failed(std::string("post-config spec is not JSON: ") + e.what());
    }
    only_keys(root, "",
              {"partition", "sysprep_path", "sysprep", "sysprep_update", "unattend_path",
               "unattend", "files"});
    PostConfigSpec spec;
    spec.partition = text(root, "partition", "", false);
    spec.sysprep_path = partition_path(root, "sysprep_path", "", spec.sysprep_path);
    spec.unattend_path = partition_path(root, "unattend_path", "", spec.unattend_path);
    spec.sysprep_update = text(root, "sysprep_update", "", false);

    std::size_t i = 0;
    for (const auto& item : list(root, "sysprep")) {
        const std::string field = "sysprep[" + std::to_string(i++) + "]";
        only_keys(item, field, {"section", "key", "value"});
        SysprepSetting s{text(item, "section", field + ".", true),
                         text(item, "key", field + ".", true),
                         text(item, "value", field + ".", true)};
        try {  // the same checks the editor makes, reported at the field
            set_sysprep_value("", s);
        } catch (const ImagerError& e) {
            field_error(field, e.what());
        }
        spec.sysprep.push_back(std::move(s));
    }
    i = 0;
    for (const auto& item : list(root, "unattend")) {
        const std::string field = "unattend[" + std::to_string(i++) + "]";
        only_keys(item, field, {"path", "value"});
        UnattendSetting s{text(item, "path", field + ".", true),
                          text(item, "value", field + ".", true)};
        try {
            parse_unattend_path(s.path);
        } catch (const ImagerError& e) {
            field_error(field + ".path", e.what());
        }
        spec.unattend.push_back(std::move(s));
    }
    i = 0;
    for (const auto& item : list(root, "files")) {
        const std::string field = "files[" + std::to_string(i++) + "]";
        only_keys(item, field, {"target", "content_base64"});
        FileDropSpec drop;
        drop.target = partition_path(item, "target", field + ".", "");
        if (drop.target.empty()) field_error(field + ".target", "is missing");
        drop.content = base64_decoded(text(item, "content_base64", field + ".", true),
                                      field + ".content_base64");
        spec.files.push_back(std::move(drop));
    }
    return spec;
}

}  // namespace castline::imager
