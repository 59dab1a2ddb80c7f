package org.asyncio4j.process;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.asyncio4j.AsyncIO;
import org.asyncio4j.net.Connection;
import org.asyncio4j.net.ReadTransport;
import org.asyncio4j.net.Transport;
import org.asyncio4j.stream.StreamReader;
import org.asyncio4j.stream.StreamReaderProtocol;
import org.asyncio4j.stream.StreamWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** connectReadPipe/connectWritePipe over blocking streams, with asyncio's stream idioms. */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PipesTest {
    @Test
    void aStreamReaderOverAReadPipeReadsLines() throws Exception {
        ReadTransport pipe = AsyncIO.run(() -> {
            StreamReader reader = new StreamReader();
            Connection<ReadTransport, StreamReaderProtocol> c = AsyncIO.connectReadPipe(
                    () -> new StreamReaderProtocol(reader), new ByteArrayInputStream("one\ntwo\nthree".getBytes(US_ASCII)));
            List<String> lines = new ArrayList<>();
            for (byte[] line : reader.lines()) {
                lines.add(new String(line, US_ASCII));
            }
            assertEquals(List.of("one\n", "two\n", "three"), lines);
            assertTrue(c.transport().isClosing());
            assertThrows(UnsupportedOperationException.class, () -> ((Transport) c.transport()).write(new byte[1]));
            return c.transport();
        });
        ((PipeTransport) pipe).pipeThread().join(20_000);
        assertFalse(((PipeTransport) pipe).pipeThread().isAlive());
    }

    @Test
    void aStreamWriterOverAWritePipeFlushesOnClose() throws Exception {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        AsyncIO.run(() -> {
            StreamReaderProtocol protocol = new StreamReaderProtocol(new StreamReader());
            Transport t = AsyncIO.connectWritePipe(() -> protocol, sink).transport();
            StreamWriter w = new StreamWriter(t, protocol, null);
            for (int i = 0; i < 1000; i++) {
                w.write(("line " + i + "\n").getBytes(US_ASCII));
                w.drain();
            }
            w.close();
            w.waitClosed();
            assertFalse(t.isReading());
        });
        String out = sink.toString(US_ASCII);
        assertTrue(out.startsWith("line 0\nline 1\n") && out.endsWith("line 999\n"), out.length() + " chars");
    }

    @Test
    void aReadPipeNeverBlocksTheLoop() throws Exception {
        PipedOutputStream feeder = new PipedOutputStream();
        InputStream in = new PipedInputStream(feeder, 1 << 16);
        AsyncIO.run(() -> {
            StreamReader reader = new StreamReader();
            AsyncIO.connectReadPipe(() -> new StreamReaderProtocol(reader), in);
            int ticks = 0;
            for (int i = 0; i < 10; i++) { // the loop goes on while the pump is blocked in read()
                AsyncIO.sleep(0);
                ticks++;
            }
            assertEquals(10, ticks);
            AsyncIO.toThread(() -> {
                try (feeder) {
                    feeder.write("late\n".getBytes(US_ASCII));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertEquals("late\n", new String(reader.readline(), US_ASCII));
            assertTrue(reader.read().length == 0);
        });
    }
}
