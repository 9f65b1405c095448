import Foundation

/// The terminal's clipboard through OSC 52 (`ESC ] 52 ; c ; base64 BEL`): the terminal the user
/// sits at sets its clipboard, so a copy works over SSH; tmux takes it with `set-clipboard on`.
public enum Clipboard {
    /// The most text sent at once (terminals drop longer sequences; xterm's limit is about 100 kB
    /// of base64).
    public static let maximumBytes = 74_000

    /// The sequence that puts `text` on the clipboard (cut at `maximumBytes`, on a character).
    public static func sequence(copying text: String) -> [UInt8] {
        var bytes = Array(text.utf8)
        if bytes.count > maximumBytes {
            bytes = Array(bytes.prefix(maximumBytes))
            // Drop the last character if the cut went through it.
            var start = bytes.count - 1
            while start > 0, bytes[start] & 0xC0 == 0x80 { start -= 1 }
            let lead = bytes[start]
            let length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
            if start + length > bytes.count { bytes.removeSubrange(start...) }
        }
        return Array("\u{1B}]52;c;".utf8) + Array(Data(bytes).base64EncodedString().utf8) + [0x07]
    }
}
