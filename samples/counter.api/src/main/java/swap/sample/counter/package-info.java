/** The sample counter component: its interface, and the interface of its sample client. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package swap.sample.counter;
