package org.asyncio4j.net.nio;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.lang.ref.Cleaner;
import java.nio.channels.Channel;

/**
 * Closes the channel of a transport or server that was dropped open, with a warning, as
 * asyncio's transports and servers do from {@code __del__} ({@code ResourceWarning:
 * unclosed transport}). A {@link Cleaner} action: it holds the channel and a description,
 * never the owner, so the owner can be collected. While the owner's loop runs, the
 * selector's key keeps the owner reachable; once the loop is closed and the owner dropped,
 * the action runs on the cleaner's thread.
 */
record Unclosed(Channel channel, String description) implements Runnable {
    private static final Cleaner CLEANER = Cleaner.create();

    /**
     * Watches {@code owner}: when it is collected with {@code channel} still open, the
     * channel is closed with a warning. The owner calls {@code clean()} on the result once
     * it closed the channel itself.
     */
    static Cleaner.Cleanable watch(Object owner, Channel channel, String description) {
        return CLEANER.register(owner, new Unclosed(channel, description));
    }

    @Override
    public void run() {
        if (!channel.isOpen()) {
            return;
        }
        SelectorTransport.LOG.log(Level.WARNING, "unclosed " + description + " was garbage collected; its socket is "
                + "closed now. Close transports and servers before dropping them");
        try {
            channel.close();
        } catch (IOException e) {
            SelectorTransport.LOG.log(Level.DEBUG, "error closing " + channel, e);
        }
    }
}
