import Glibc
import Foundation

/// Runs a closure with standard output and error sent to a temporary file (and standard input
/// from /dev/null), then returns what it printed. Used to show a CLI subcommand's output in an
/// overlay without it scribbling over the ncurses screen. Call only from the main loop's thread.
public enum OutputCapture {
    public static func run(_ body: () -> Int32) -> (output: String, status: Int32) {
        fflush(nil)
        var template = Array("/tmp/mlwb-command-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { return ("cannot capture output: \(String(cString: strerror(errno)))", 1) }
        let path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        unlink(path)
        let savedOut = dup(1), savedErr = dup(2), savedIn = dup(0)
        let null = open("/dev/null", O_RDONLY)
        dup2(fd, 1)
        dup2(fd, 2)
        if null >= 0 { dup2(null, 0); close(null) }
        let status = body()
        fflush(nil)
        dup2(savedOut, 1); dup2(savedErr, 2); dup2(savedIn, 0)
        close(savedOut); close(savedErr); close(savedIn)
        var bytes: [UInt8] = []
        lseek(fd, 0, SEEK_SET)
        var buffer = [UInt8](repeating: 0, count: 65536)
        while bytes.count < 4 << 20 {
            let n = read(fd, &buffer, buffer.count)
            if n <= 0 { break }
            bytes.append(contentsOf: buffer[0..<n])
        }
        close(fd)
        // Drop escape sequences (progress bars) that would garble the overlay.
        var text = String(decoding: bytes, as: UTF8.self)
        text = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        return (stripEscapes(text), status)
    }

    static func stripEscapes(_ text: String) -> String {
        var out = ""
        var iterator = text.unicodeScalars.makeIterator()
        while let c = iterator.next() {
            if c == "\u{1B}" {
                // CSI: ESC [ params final
                if let next = iterator.next(), next == "[" {
                    while let p = iterator.next(), !(p.value >= 0x40 && p.value <= 0x7E) {}
                }
                continue
            }
            out.unicodeScalars.append(c)
        }
        return out
    }
}
