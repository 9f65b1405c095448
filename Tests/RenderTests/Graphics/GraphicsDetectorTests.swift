import Foundation
import Glibc
@testable import Render
import XCTest

/// Choosing a protocol: forced modes, the environment, and a real pty that answers or stays silent.
final class GraphicsDetectorTests: XCTestCase {
    private func choose(_ mode: GraphicsMode, _ env: [String: String], tty: Bool = true,
                        answer: GraphicsDetector.Answer = .init()) -> GraphicsDetector.Choice {
        GraphicsDetector.choose(mode, environment: env, isTTY: tty) { answer }
    }

    func testForcedAndEnvironment() {
        XCTAssertEqual(choose(.sixel, ["TERM": "xterm"]).graphicsProtocol, .sixel)
        XCTAssertEqual(choose(.kitty, ["TERM": "screen", "TMUX": "/tmp/x"]).tmuxPassthrough, true)
        XCTAssertNil(choose(.halfblock, ["TERM": "xterm-kitty"]).graphicsProtocol)
        XCTAssertEqual(choose(.auto, ["TERM": "xterm-kitty"]).graphicsProtocol, .kitty)
        XCTAssertEqual(choose(.auto, ["TERM": "xterm-256color", "TERM_PROGRAM": "WezTerm"]).graphicsProtocol, .kitty)
        XCTAssertEqual(choose(.auto, ["TERM": "xterm-256color", "TERM_PROGRAM": "iTerm.app"]).graphicsProtocol, .iterm)
        XCTAssertEqual(choose(.auto, ["TERM": "foot"]).graphicsProtocol, .sixel)
        // Pipes, tmux and dumb terminals get half-blocks without a question.
        XCTAssertNil(choose(.auto, ["TERM": "xterm-kitty"], tty: false).graphicsProtocol)
        XCTAssertNil(choose(.auto, ["TERM": "tmux-256color", "TMUX": "/tmp/x"], answer: .init(kitty: true, answered: true)).graphicsProtocol)
        XCTAssertNil(choose(.auto, ["TERM": "dumb"], answer: .init(sixel: true, answered: true)).graphicsProtocol)
        // Otherwise the answer decides.
        XCTAssertEqual(choose(.auto, ["TERM": "xterm"], answer: .init(kitty: true, sixel: true, answered: true)).graphicsProtocol, .kitty)
        XCTAssertEqual(choose(.auto, ["TERM": "xterm"], answer: .init(sixel: true, answered: true)).graphicsProtocol, .sixel)
        XCTAssertNil(choose(.auto, ["TERM": "xterm"], answer: .init(answered: true)).graphicsProtocol)
    }

    func testParsingReplies() {
        XCTAssertEqual(GraphicsDetector.parse(Array("\u{1B}_Gi=31;OK\u{1B}\\\u{1B}[?62;22c".utf8)), .init(kitty: true, sixel: false, answered: true))
        XCTAssertEqual(GraphicsDetector.parse(Array("\u{1B}[?63;1;2;4;6;9;15;22c".utf8)), .init(kitty: false, sixel: true, answered: true))
        XCTAssertEqual(GraphicsDetector.parse(Array("\u{1B}[?1;2c".utf8)), .init(kitty: false, sixel: false, answered: true))
        XCTAssertEqual(GraphicsDetector.parse(Array("\u{1B}[?6".utf8)), .init())
    }

    /// A pty whose other end is played by `terminal` on a thread.
    private func withPTY(_ terminal: @escaping @Sendable (Int32) -> Void, _ body: (Int32) -> Void) throws {
        var master: Int32 = -1, slave: Int32 = -1
        guard openpty(&master, &slave, nil, nil, nil) == 0 else { throw XCTSkip("no pty available: errno \(errno)") }
        let done = DispatchSemaphore(value: 0)
        let m = master
        Thread.detachNewThread { terminal(m); done.signal() }
        body(slave)
        close(slave)
        done.wait()
        close(master)
    }

    func testAnsweringTerminal() throws {
        try withPTY({ master in
            // Read the query up to DA1, then answer as a sixel-capable xterm would, in two pieces.
            var seen: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 256)
            while !String(decoding: seen, as: UTF8.self).hasSuffix("\u{1B}[c") {
                let n = read(master, &buffer, 256)
                if n <= 0 { return }
                seen += buffer[0..<n]
            }
            XCTAssertEqual(seen, GraphicsDetector.query)
            for part in ["\u{1B}[?63;1;2;", "4;6;9;15;22c"] { _ = part.withCString { write(master, $0, strlen($0)) }; usleep(5000) }
        }) { slave in
            let answer = GraphicsDetector.ask(fd: slave, timeout: 2)
            XCTAssertEqual(answer, .init(kitty: false, sixel: true, answered: true))
        }
    }

    func testSilentTerminalDoesNotHang() throws {
        try withPTY({ master in
            var buffer = [UInt8](repeating: 0, count: 256)
            _ = read(master, &buffer, 256)  // takes the question, never answers
        }) { slave in
            let start = Date()
            let answer = GraphicsDetector.ask(fd: slave, timeout: 0.15)
            XCTAssertEqual(answer, .init())
            XCTAssertLessThan(Date().timeIntervalSince(start), 2, "the wait is bounded by the timeout")
        }
    }

    func testNotATerminalGetsNoQuestion() throws {
        var fds: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&fds), 0)
        defer { close(fds[0]); close(fds[1]) }
        XCTAssertEqual(GraphicsDetector.ask(fd: fds[1], timeout: 0.1), .init())
        var flags = fcntl(fds[0], F_GETFL); flags |= O_NONBLOCK; _ = fcntl(fds[0], F_SETFL, flags)
        var byte: UInt8 = 0
        XCTAssertEqual(read(fds[0], &byte, 1), -1, "nothing was written to a pipe")
    }
}
