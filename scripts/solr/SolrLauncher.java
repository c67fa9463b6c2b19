import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.solr.embedded.JettyConfig;
import org.apache.solr.embedded.JettySolrRunner;

/**
 * Runs a real Solr 9 (solr-core + Jetty from solr-test-framework) for CKAN on loopback.
 * Maven Central ships Solr only as jars, so this stands in for bin/solr.
 * Usage: java -cp CP SolrLauncher.java SOLR_HOME PORT
 */
public class SolrLauncher {
  public static void main(String[] args) throws Exception {
    String home = args[0];
    int port = Integer.parseInt(args[1]);
    System.setProperty("solr.solr.home", home);
    System.setProperty("host", "127.0.0.1");
    JettyConfig config = JettyConfig.builder().setPort(port).setContext("/solr").stopAtShutdown(true).build();
    JettySolrRunner runner = new JettySolrRunner(home, config);
    runner.start();
    System.out.println("Solr " + org.apache.solr.core.SolrCore.class.getPackage().getImplementationVersion() + " listening at " + runner.getBaseUrl());
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try { runner.stop(); } catch (Exception e) { e.printStackTrace(); }
    }));
    Thread.currentThread().join();
  }
}
