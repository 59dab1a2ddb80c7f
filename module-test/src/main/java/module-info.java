/** A program of its own module that uses asyncio4j from the module path (see ModulePathTest). */
module org.asyncio4j.moduletest {
    requires org.asyncio4j;
}
