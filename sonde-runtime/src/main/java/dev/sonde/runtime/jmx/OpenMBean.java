package dev.sonde.runtime.jmx;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.DynamicMBean;
import javax.management.MBeanInfo;
import javax.management.MBeanNotificationInfo;
import javax.management.MBeanOperationInfo;
import javax.management.ReflectionException;
import javax.management.openmbean.OpenMBeanAttributeInfoSupport;
import javax.management.openmbean.OpenMBeanConstructorInfoSupport;
import javax.management.openmbean.OpenMBeanInfoSupport;
import javax.management.openmbean.OpenMBeanOperationInfoSupport;
import javax.management.openmbean.OpenMBeanParameterInfoSupport;
import javax.management.openmbean.OpenType;

/**
 * An MBean described entirely with open types: read-only attributes computed on each read, and
 * operations. A client needs no class of this library to read it.
 */
final class OpenMBean implements DynamicMBean {

    record Parameter(String name, String description, OpenType<?> type) {
    }

    private record AttributeDef(String description, OpenType<?> type, Supplier<Object> getter) {
    }

    private record OperationDef(String description, OpenType<?> returnType, List<Parameter> parameters, int impact,
                                Function<Object[], Object> body) {
    }

    private final String className;
    private final String description;
    private final Map<String, AttributeDef> attributes = new LinkedHashMap<>();
    private final Map<String, OperationDef> operations = new LinkedHashMap<>();

    OpenMBean(String className, String description) {
        this.className = className;
        this.description = description;
    }

    OpenMBean attribute(String name, String attributeDescription, OpenType<?> type, Supplier<Object> getter) {
        attributes.put(name, new AttributeDef(attributeDescription, type, getter));
        return this;
    }

    OpenMBean operation(String name, String operationDescription, OpenType<?> returnType, int impact,
                        Function<Object[], Object> body, Parameter... parameters) {
        operations.put(name, new OperationDef(operationDescription, returnType, List.of(parameters), impact, body));
        return this;
    }

    @Override
    public Object getAttribute(String name) throws AttributeNotFoundException {
        AttributeDef attribute = attributes.get(name);
        if (attribute == null) {
            throw new AttributeNotFoundException("No attribute '" + name + "'; the attributes are " + attributes.keySet() + ".");
        }
        return attribute.getter().get();
    }

    @Override
    public void setAttribute(Attribute attribute) throws AttributeNotFoundException {
        throw new AttributeNotFoundException("Attribute '" + attribute.getName()
                + "' is read-only; change settings with the operations of " + RuntimeMBeans.Settings.NAME + ".");
    }

    @Override
    public AttributeList getAttributes(String[] names) {
        AttributeList list = new AttributeList();
        for (String name : names) {
            AttributeDef attribute = attributes.get(name);
            if (attribute != null) {
                list.add(new Attribute(name, attribute.getter().get()));
            }
        }
        return list;
    }

    @Override
    public AttributeList setAttributes(AttributeList attributeList) {
        return new AttributeList();
    }

    @Override
    public Object invoke(String name, Object[] params, String[] signature) throws ReflectionException {
        OperationDef operation = operations.get(name);
        int given = params == null ? 0 : params.length;
        if (operation == null || operation.parameters().size() != given) {
            throw new ReflectionException(new NoSuchMethodException(name),
                    "No operation '" + name + "' with " + given + " parameters; the operations are " + operations.keySet() + ".");
        }
        return operation.body().apply(params == null ? new Object[0] : params);
    }

    @Override
    public MBeanInfo getMBeanInfo() {
        List<OpenMBeanAttributeInfoSupport> attributeInfos = new ArrayList<>();
        attributes.forEach((name, attribute) -> attributeInfos.add(
                new OpenMBeanAttributeInfoSupport(name, attribute.description(), attribute.type(), true, false, false)));
        List<OpenMBeanOperationInfoSupport> operationInfos = new ArrayList<>();
        operations.forEach((name, operation) -> operationInfos.add(new OpenMBeanOperationInfoSupport(name,
                operation.description(),
                operation.parameters().stream()
                        .map(p -> new OpenMBeanParameterInfoSupport(p.name(), p.description(), p.type()))
                        .toArray(OpenMBeanParameterInfoSupport[]::new),
                operation.returnType(), operation.impact())));
        return new OpenMBeanInfoSupport(className, description,
                attributeInfos.toArray(new OpenMBeanAttributeInfoSupport[0]),
                new OpenMBeanConstructorInfoSupport[0],
                operationInfos.toArray(new OpenMBeanOperationInfoSupport[0]),
                new MBeanNotificationInfo[0]);
    }

    static final int INFO = MBeanOperationInfo.INFO;
    static final int ACTION = MBeanOperationInfo.ACTION;
}
