/// Recognises a web page from its first bytes (error pages served with a binary's name).
public enum HTMLSniffer {
    /// Whether `head` starts (after whitespace and a BOM) with `<!DOCTYPE html`, `<html`, `<head` or `<body`.
    public static func looksLikeHTML(_ head: [UInt8]) -> Bool {
        var i = 0
        if head.count >= 3, head[0] == 0xEF, head[1] == 0xBB, head[2] == 0xBF { i = 3 }
        while i < head.count, head[i] == 0x20 || head[i] == 0x09 || head[i] == 0x0A || head[i] == 0x0D { i += 1 }
        let text = String(decoding: head[i..<min(head.count, i + 32)], as: UTF8.self).lowercased()
        return ["<!doctype html", "<html", "<head", "<body"].contains { text.hasPrefix($0) }
    }
}
