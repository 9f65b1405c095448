import Foundation
@testable import Remote
import TestSupport
import XCTest
import Media

/// Pure pieces: backoff, rate meter, HTML recognition, headers, formatting.
final class SupportTests: XCTestCase {
    func testBackoffGrowsWithJitterAndHonoursRetryAfter() {
        let policy = RetryPolicy(maxAttempts: 5, baseDelay: 1, maxDelay: 8)
        for attempt in 1...6 {
            let ceiling = min(8, pow(2, Double(attempt - 1)))
            let delay = policy.delay(beforeRetry: attempt)
            XCTAssertGreaterThanOrEqual(delay, ceiling / 2)
            XCTAssertLessThanOrEqual(delay, ceiling)
        }
        XCTAssertEqual(policy.delay(beforeRetry: 1, retryAfter: 20), 20)
    }

    func testRetryAfterAsSecondsAndDate() {
        var headers = ResponseHeaders()
        headers.reset(statusLine: "HTTP/1.1 429 Too Many Requests")
        headers.add(line: "Retry-After: 7\r\n")
        XCTAssertEqual(headers.retryAfter(now: 0), 7)
        headers.add(line: "Retry-After: Wed, 21 Oct 2015 07:28:00 GMT\r\n")
        XCTAssertEqual(headers.retryAfter(now: 1_445_412_470), 10)
        headers.add(line: "Content-Range: bytes 100-199/1000\r\n")
        XCTAssertEqual(headers.contentRange?.start, 100)
        XCTAssertEqual(headers.contentRange?.total, 1000)
    }

    func testProgressMeterSmoothsRateAndEstimates() {
        var meter = ProgressMeter(timeConstant: 1)
        _ = meter.update(bytes: 0, total: 10_000, at: 0)
        var progress = meter.update(bytes: 1000, total: 10_000, at: 1)
        XCTAssertEqual(progress.bytesPerSecond, 1000, accuracy: 1)
        XCTAssertEqual(progress.secondsLeft ?? 0, 9, accuracy: 0.01)
        progress = meter.update(bytes: 4000, total: 10_000, at: 2)  // a burst of 3000 B/s moves the average part way
        XCTAssertGreaterThan(progress.bytesPerSecond, 1000)
        XCTAssertLessThan(progress.bytesPerSecond, 3000)
        XCTAssertEqual(progress.fraction, 0.4)
    }

    func testHTMLSniffer() {
        XCTAssertTrue(HTMLSniffer.looksLikeHTML(Array("  \n<!DOCTYPE html><html>".utf8)))
        XCTAssertTrue(HTMLSniffer.looksLikeHTML(Array("<HTML><body>".utf8)))
        XCTAssertFalse(HTMLSniffer.looksLikeHTML([0x50, 0x4B, 0x03, 0x04]))
        XCTAssertFalse(HTMLSniffer.looksLikeHTML(Array("<?xml version".utf8)))
    }

    func testFormParsing() {
        let html = """
            <form id='download-form' action="https://drive.usercontent.google.com/download" method="get">
            <input type="submit" value="Download anyway"/><input type="hidden" name="id" value="ABC">
            <input type=hidden name=confirm value=t><input type="hidden" name="uuid" value="a&amp;b"></form>
            """
        let form = HTMLForm.first(in: html) { $0.id == "download-form" }
        XCTAssertEqual(form?.fields.map(\.name), ["id", "confirm", "uuid"])
        XCTAssertEqual(form?.submissionURL(relativeTo: "https://drive.google.com/uc"),
                       "https://drive.usercontent.google.com/download?id=ABC&confirm=t&uuid=a%26b")
        XCTAssertEqual(GoogleDrive.confirmToken(in: "href=\"/uc?export=download&amp;confirm=no_antivirus&amp;id=X\""), "no_antivirus")
    }

    func testRequestPaths() {
        let request = DownloadRequest(url: "https://x/y.bin", destination: "/tmp/y.bin", sha256: "ABC")
        XCTAssertEqual(request.partialPath, "/tmp/y.bin.part")
        XCTAssertEqual(request.metadataPath, "/tmp/y.bin.part.meta")
        XCTAssertEqual(request.lockPath, "/tmp/y.bin.part.lock")
        XCTAssertEqual(request.sha256, "abc")
        XCTAssertEqual(request.label, "y.bin")
    }
}
