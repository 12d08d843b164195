package io.shopkeeper.api.http;

import io.javalin.config.JavalinConfig;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.component.LifeCycle;

/**
 * Applies {@link HttpLimits} to Javalin's Jetty: idle and slow-body timeouts, the per-client
 * connection cap and JSON instead of Jetty's HTML error pages. The request body size is enforced
 * where bodies are read ({@link RequestBodies}), on the stream.
 */
public final class JettySetup {
    private JettySetup() {}

    public static void apply(JavalinConfig config, HttpLimits limits) {
        long idleMillis = limits.idleTimeout().toMillis();
        config.http.maxRequestSize = limits.maxRequestBytes();
        config.jetty.modifyHttpConfiguration(
                http -> {
                    http.setSendServerVersion(false);
                    http.setIdleTimeout(idleMillis);
                    http.setMinRequestDataRate(limits.minRequestBytesPerSecond());
                });
        config.jetty.modifyServletContextHandler(
                context -> context.setErrorHandler(new JsonErrorHandler()));
        config.jetty.modifyServer(
                server -> {
                    server.setErrorHandler(new JsonErrorHandler());
                    // Javalin adds its connector after these hooks run: configure connectors as the
                    // server starts, before they accept.
                    ConnectionsPerClient perClient =
                            new ConnectionsPerClient(limits.maxConnectionsPerClient());
                    server.addEventListener(
                            new LifeCycle.Listener() {
                                @Override
                                public void lifeCycleStarting(LifeCycle event) {
                                    for (Connector connector : ((Server) event).getConnectors()) {
                                        if (connector instanceof AbstractConnector c) {
                                            c.setIdleTimeout(idleMillis);
                                            c.addEventListener(perClient);
                                        }
                                    }
                                }
                            });
                });
    }
}
